import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// A robust, process-shared mutex that lives inside a ``SharedMemoryRegion``.
///
/// It is a `pthread_mutex_t` with `PTHREAD_PROCESS_SHARED` and `PTHREAD_MUTEX_ROBUST`: if the
/// owner dies while holding it, the next locker acquires it with
/// ``Acquisition/previousOwnerDied`` (from `EOWNERDEAD`) and the mutex is made consistent
/// again, so a killed peer never leaves the other side blocked forever.
///
/// - Blocking: ``withLock(timeout:_:)`` blocks up to the timeout.
/// - Fairness: none; the kernel decides who wins after an unlock.
/// - Memory ordering: unlock happens-before the next lock (acquire/release), across processes.
/// - Error checking: relocking by the owner or unlocking by a non-owner is an error.
public struct SharedMutex {
    /// How a lock was acquired.
    public enum Acquisition: Sendable, Equatable {
        /// Normally.
        case clean
        /// The previous owner died holding the lock; the data it guards may be half-updated.
        case previousOwnerDied
    }

    /// Bytes the mutex needs in a region (`pthread_mutex_t`); place it at an 8-byte aligned offset.
    public static var size: Int { turnstile_mutex_size() }

    private let region: SharedMemoryRegion
    private let address: UnsafeMutableRawPointer

    /// Initializes a new mutex at `offset` in `region`; do this once, before any peer uses it.
    /// - Throws: ``IPCError`` `.invalidSize` if it does not fit, or `.systemCall`.
    public static func initialize(in region: SharedMemoryRegion, at offset: Int) throws -> SharedMutex {
        let mutex = try SharedMutex(region: region, offset: offset)
        let result = turnstile_robust_mutex_init(mutex.address)
        guard result == 0 else { throw IPCError.system("pthread_mutex_init (robust, shared)", result) }
        return mutex
    }

    /// Refers to a mutex that a peer already initialized at `offset` in `region`.
    /// - Throws: ``IPCError`` `.invalidSize` if the range is outside the region.
    public init(region: SharedMemoryRegion, offset: Int) throws {
        try region.checkRange(offset: offset, count: SharedMutex.size, alignment: 8, what: "pthread_mutex_t")
        self.region = region
        self.address = region.baseAddress + offset
    }

    /// Runs `body` while holding the mutex, unlocking afterwards even if it throws.
    /// - Parameters:
    ///   - timeout: the longest wait for the lock; nil waits without limit.
    ///   - body: receives how the lock was acquired, so it can repair state after a dead owner.
    /// - Throws: ``IPCError`` `.timedOut`, `.systemCall`, or what `body` throws.
    public func withLock<R>(timeout: Duration? = nil, _ body: (Acquisition) throws -> R) throws -> R {
        let acquisition = try lock(timeout: timeout)
        defer { unlock() }
        return try body(acquisition)
    }

    /// Locks; prefer ``withLock(timeout:_:)``.
    /// - Throws: ``IPCError`` `.timedOut`, or `.systemCall` (ENOTRECOVERABLE, EDEADLK).
    public func lock(timeout: Duration? = nil) throws -> Acquisition {
        let nanoseconds: Int64 = timeout.map { Deadline(after: $0).remaining(cappedAt: .max) } ?? -1
        switch turnstile_mutex_lock_ns(address, nanoseconds) {
        case 0:
            return .clean
        case EOWNERDEAD:
            let result = turnstile_mutex_consistent(address)
            guard result == 0 else { throw IPCError.system("pthread_mutex_consistent", result) }
            return .previousOwnerDied
        case let error:
            throw IPCError.system("pthread_mutex_lock (shared)", error)
        }
    }

    /// Unlocks a mutex this thread holds.
    public func unlock() { _ = turnstile_mutex_unlock(address) }
}
