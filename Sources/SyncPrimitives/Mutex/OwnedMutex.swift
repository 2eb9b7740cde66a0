import Synchronization
import TurnstileRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking mutex that knows which thread holds it: unlocking by any other thread, and
/// relocking by the holder, are reported errors rather than undefined behaviour.
///
/// The course text's "mutexes: binary semaphores", with the one property a binary semaphore
/// lacks: ownership. A semaphore may be signalled by anyone; this mutex may be released only
/// by the thread that acquired it, which is what makes a critical section a critical section.
///
/// ```swift
/// let mutex = OwnedMutex()
/// try mutex.withLock { balance += amount }
/// ```
///
/// One atomic word holds the owner's identity and a "someone sleeps" bit. An uncontended
/// `lock` is one compare-and-exchange, an uncontended `unlock` another; contended threads
/// sleep on a runtime `Condition` and the unlocker wakes one of them only when the bit says
/// somebody sleeps.
///
/// - Guarantees: mutual exclusion; deadlock freedom among correct users; ownership checks.
///   **No fairness**: an arriving thread may take the mutex before a woken sleeper (barging),
///   which is what makes the uncontended path fast. Use ``CountingSemaphore`` with
///   `.fifo` fairness where arrival order matters.
/// - Blocking: `lock` sleeps (no spinning) while another thread holds the mutex; `tryLock`
///   and `unlock` never block.
/// - Memory ordering: acquiring on `lock`, releasing on `unlock`.
/// - Identity: under the controlled engine the logical thread (`Runtime.currentThreadID`);
///   natively the pthread, so every OS thread is told apart, including threads the runtime did
///   not start. Errors name the caller by `Runtime.currentThreadID`.
/// - Engine: a mutex belongs to the engine it was created under (checked in debug builds).
///   Natively it then touches its atomic word directly, without asking the runtime which
///   engine runs on every call; that is what keeps the uncontended path at two
///   compare-and-exchanges. Under the controlled engine every step is a runtime operation and
///   a scheduling point. Create it where it is used: checks make fresh objects per execution.
public final class OwnedMutex: Sendable {
    // The word is `tag | sleepersBit`, 0 when free; `tag` is even and non-zero: the pthread
    // natively, `(logical id + 1) << 1` under the controlled engine.
    @usableFromInline let controlled: Bool
    /// The word under the controlled engine.
    @usableFromInline let word: AtomicInt
    /// The word under the native engine.
    @usableFromInline let nativeWord = Atomic<Int>(0)
    private let parking: Lock
    private let sleepers: Condition
    /// Threads inside the contended path; touched only while holding `parking`.
    private let contended: Shared<Int>

    /// Creates an unlocked mutex; `name` prefixes the names in controlled traces.
    public init(name: String = "mutex") {
        controlled = Runtime.isControlled
        word = AtomicInt(0, name: name)
        parking = Lock(name: "\(name).parking")
        sleepers = Condition(lock: parking, name: "\(name).sleepers")
        contended = Shared(0, name: "\(name).contended")
    }

    /// Acquires the mutex, sleeping while another thread holds it.
    /// - Throws: ``MutexOwnershipError/alreadyOwned(caller:)`` if the caller already holds it.
    @inlinable
    public func lock(file: StaticString = #fileID, line: UInt = #line) throws(MutexOwnershipError) {
        let tag = callerTag()
        if exchange(0, tag, acquiring: true, file: file, line: line).exchanged { return }
        try lockContended(tag, file: file, line: line)
    }

    /// Acquires the mutex if it is free; never blocks.
    /// - Returns: whether the caller now holds it (`false` also when the caller already does).
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        exchange(0, callerTag(), acquiring: true, file: file, line: line).exchanged
    }

    /// Releases the mutex, waking one sleeping thread if there is one.
    /// - Throws: ``MutexOwnershipError/notOwner(caller:)`` or
    ///   ``MutexOwnershipError/notLocked(caller:)`` if the caller does not hold it; the mutex
    ///   is then left as it was.
    @inlinable
    public func unlock(file: StaticString = #fileID, line: UInt = #line) throws(MutexOwnershipError) {
        let tag = callerTag()
        let result = exchange(tag, 0, acquiring: false, file: file, line: line)
        if result.exchanged { return }
        try unlockContended(tag, seen: result.original, file: file, line: line)
    }

    /// Runs `body` holding the mutex, and releases it however `body` exits.
    /// - Throws: ``MutexOwnershipError/alreadyOwned(caller:)`` if the caller already holds
    ///   it, or what `body` throws.
    public func withLock<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) throws -> Result {
        try lock(file: file, line: line)
        defer {
            do {
                try unlock(file: file, line: line)
            } catch {
                reportMisuse("the body of OwnedMutex.withLock released the mutex itself: \(error)", file: file, line: line)
            }
        }
        return try body()
    }

    /// Whether some thread holds the mutex (a snapshot).
    public var isLocked: Bool { load(file: #fileID, line: #line) != 0 }

    /// Whether the calling thread holds the mutex.
    public var isHeldByCurrentThread: Bool { load(file: #fileID, line: #line) & ~1 == callerTag() }

    // MARK: Engine-specific steps (one branch on a constant per step)

    @inlinable @inline(__always)
    func callerTag() -> Int {
        assert(controlled == Runtime.isControlled, "an OwnedMutex was used under another engine than the one it was created under")
        if controlled { return (Runtime.currentThreadID + 1) << 1 }
        return Int(bitPattern: pthread_self())
    }

    @inlinable @inline(__always)
    func exchange(
        _ expected: Int, _ desired: Int, acquiring: Bool, file: StaticString, line: UInt
    ) -> (exchanged: Bool, original: Int) {
        if !controlled {
            return acquiring
                ? nativeWord.compareExchange(expected: expected, desired: desired, ordering: .acquiring)
                : nativeWord.compareExchange(expected: expected, desired: desired, ordering: .releasing)
        }
        return word.compareExchange(
            expected: expected, desired: desired, ordering: acquiring ? .acquiring : .releasing, file: file, line: line)
    }

    @inline(__always)
    private func load(file: StaticString, line: UInt) -> Int {
        controlled ? word.load(ordering: .acquiring, file: file, line: line) : nativeWord.load(ordering: .acquiring)
    }

    private func storeFree(file: StaticString, line: UInt) {
        if controlled {
            word.store(0, ordering: .releasing, file: file, line: line)
        } else {
            nativeWord.store(0, ordering: .releasing)
        }
    }

    // MARK: Contended paths

    @usableFromInline func lockContended(_ tag: Int, file: StaticString, line: UInt) throws(MutexOwnershipError) {
        parking.lock(file: file, line: line)
        defer { parking.unlock(file: file, line: line) }
        contended.store(contended.load(file: file, line: line) + 1, file: file, line: line)
        defer { contended.store(contended.load(file: file, line: line) - 1, file: file, line: line) }
        while true {
            let seen = load(file: file, line: line)
            if seen == 0 {
                // Keep the bit set if other sleepers remain, so the next unlock wakes one.
                let bit = contended.load(file: file, line: line) > 1 ? 1 : 0
                if exchange(0, tag | bit, acquiring: true, file: file, line: line).exchanged { return }
                continue
            }
            if seen & ~1 == tag { throw .alreadyOwned(caller: Runtime.currentThreadID) }
            if seen & 1 == 0, !exchange(seen, seen | 1, acquiring: true, file: file, line: line).exchanged {
                continue
            }
            sleepers.wait(file: file, line: line)
        }
    }

    @usableFromInline func unlockContended(_ tag: Int, seen: Int, file: StaticString, line: UInt) throws(MutexOwnershipError) {
        guard seen & ~1 == tag else {
            let caller = Runtime.currentThreadID
            throw seen == 0 ? .notLocked(caller: caller) : .notOwner(caller: caller)
        }
        // The sleepers bit is set. Every thread that set it is asleep on `sleepers` by the
        // time we hold `parking`, so the signal below cannot be lost.
        parking.lock(file: file, line: line)
        storeFree(file: file, line: line)
        parking.unlock(file: file, line: line)
        sleepers.signal(file: file, line: line)
    }
}
