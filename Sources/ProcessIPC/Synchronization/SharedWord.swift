import CPosixIPC
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A 64-bit atomic at a fixed address in shared memory (ring positions).
///
/// Atomics on `MAP_SHARED` memory order accesses across processes exactly as across threads.
/// The method names say the ordering (`Synchronization` needs it to be a compile-time constant).
struct SharedUInt64 {
    let pointer: UnsafeMutablePointer<Atomic<UInt64>>

    /// Views `address` (8-byte aligned, inside a live mapping) as an atomic.
    init(_ address: UnsafeMutableRawPointer) { pointer = address.assumingMemoryBound(to: Atomic<UInt64>.self) }

    /// Initializes the word; only the creator, before peers attach.
    func initialize(_ value: UInt64) { pointer.initialize(to: Atomic(value)) }
    func loadAcquiring() -> UInt64 { pointer.pointee.load(ordering: .acquiring) }
    func loadRelaxed() -> UInt64 { pointer.pointee.load(ordering: .relaxed) }
    func loadSequential() -> UInt64 { pointer.pointee.load(ordering: .sequentiallyConsistent) }
    func storeReleasing(_ value: UInt64) { pointer.pointee.store(value, ordering: .releasing) }
    func storeSequential(_ value: UInt64) { pointer.pointee.store(value, ordering: .sequentiallyConsistent) }
}

/// A 32-bit atomic at a fixed address in shared memory that can also be a futex word:
/// ``wait(whileEqualTo:nanoseconds:)`` sleeps in the kernel until ``wake(_:)``.
struct SharedUInt32 {
    let pointer: UnsafeMutablePointer<Atomic<UInt32>>

    /// Views `address` (4-byte aligned, inside a live mapping) as an atomic.
    init(_ address: UnsafeMutableRawPointer) { pointer = address.assumingMemoryBound(to: Atomic<UInt32>.self) }

    /// Initializes the word; only the creator, before peers attach.
    func initialize(_ value: UInt32) { pointer.initialize(to: Atomic(value)) }
    func loadAcquiring() -> UInt32 { pointer.pointee.load(ordering: .acquiring) }
    func loadSequential() -> UInt32 { pointer.pointee.load(ordering: .sequentiallyConsistent) }
    func storeReleasing(_ value: UInt32) { pointer.pointee.store(value, ordering: .releasing) }
    func storeSequential(_ value: UInt32) { pointer.pointee.store(value, ordering: .sequentiallyConsistent) }

    /// Adds one (wrapping), sequentially consistent; returns the new value.
    @discardableResult
    func increment() -> UInt32 { pointer.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue }

    /// Sleeps while the word equals `expected`, for at most `nanoseconds` (never if it differs).
    /// Returns false on timeout; true when woken, interrupted or the value had already changed.
    @discardableResult
    func wait(whileEqualTo expected: UInt32, nanoseconds: Int64) -> Bool {
        let address = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt32.self)
        return turnstile_futex_wait(address, expected, nanoseconds) == 0 || errno != ETIMEDOUT
    }

    /// Wakes up to `count` sleepers.
    func wake(_ count: Int32 = .max) {
        let address = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt32.self)
        _ = turnstile_futex_wake(address, count)
    }
}
