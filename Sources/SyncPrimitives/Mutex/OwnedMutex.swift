import TurnstileRuntime

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
/// - Identity: `Runtime.currentThreadID`. Natively every thread the runtime did not spawn has
///   identity 0, so such threads cannot be told apart from the main thread: start threads with
///   `Runtime.spawn` to get the checks.
public final class OwnedMutex: Sendable {
    /// `(owner + 1) << 1 | sleepersBit`, or 0 when free.
    private let state: AtomicInt
    private let parking: Lock
    private let sleepers: Condition
    /// Threads inside the contended path; touched only while holding `parking`.
    private let contended: Shared<Int>

    /// Creates an unlocked mutex; `name` prefixes the names in controlled traces.
    public init(name: String = "mutex") {
        state = AtomicInt(0, name: name)
        parking = Lock(name: "\(name).parking")
        sleepers = Condition(lock: parking, name: "\(name).sleepers")
        contended = Shared(0, name: "\(name).contended")
    }

    /// Acquires the mutex, sleeping while another thread holds it.
    /// - Throws: ``MutexOwnershipError/alreadyOwned(caller:)`` if the caller already holds it.
    @inline(__always)
    public func lock(file: StaticString = #fileID, line: UInt = #line) throws(MutexOwnershipError) {
        let me = Runtime.currentThreadID
        if state.compareExchange(expected: 0, desired: (me + 1) << 1, ordering: .acquiring, file: file, line: line)
            .exchanged
        {
            return
        }
        try lockContended(me, file: file, line: line)
    }

    /// Acquires the mutex if it is free; never blocks.
    /// - Returns: whether the caller now holds it (`false` also when the caller already does).
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        let tag = (Runtime.currentThreadID + 1) << 1
        return state.compareExchange(expected: 0, desired: tag, ordering: .acquiring, file: file, line: line).exchanged
    }

    /// Releases the mutex, waking one sleeping thread if there is one.
    /// - Throws: ``MutexOwnershipError/notOwner(caller:owner:)`` or
    ///   ``MutexOwnershipError/notLocked(caller:)`` if the caller does not hold it; the mutex
    ///   is then left as it was.
    @inline(__always)
    public func unlock(file: StaticString = #fileID, line: UInt = #line) throws(MutexOwnershipError) {
        let me = Runtime.currentThreadID
        if state.compareExchange(expected: (me + 1) << 1, desired: 0, ordering: .releasing, file: file, line: line)
            .exchanged
        {
            return
        }
        try unlockContended(me, file: file, line: line)
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

    /// The identity of the thread holding the mutex, or `nil` if it is free (a snapshot).
    public var owner: Int? {
        let word = state.load(ordering: .relaxed)
        return word >> 1 == 0 ? nil : (word >> 1) - 1
    }

    /// Whether the calling thread holds the mutex.
    public var isHeldByCurrentThread: Bool { owner == Runtime.currentThreadID }

    private func lockContended(_ me: Int, file: StaticString, line: UInt) throws(MutexOwnershipError) {
        let tag = (me + 1) << 1
        parking.lock(file: file, line: line)
        defer { parking.unlock(file: file, line: line) }
        contended.store(contended.load(file: file, line: line) + 1, file: file, line: line)
        defer { contended.store(contended.load(file: file, line: line) - 1, file: file, line: line) }
        while true {
            let word = state.load(ordering: .acquiring, file: file, line: line)
            if word == 0 {
                // Keep the bit set if other sleepers remain, so the next unlock wakes one.
                let bit = contended.load(file: file, line: line) > 1 ? 1 : 0
                if state.compareExchange(expected: 0, desired: tag | bit, ordering: .acquiring, file: file, line: line)
                    .exchanged
                {
                    return
                }
                continue
            }
            if word >> 1 == me + 1 { throw .alreadyOwned(caller: me) }
            if word & 1 == 0,
                !state.compareExchange(expected: word, desired: word | 1, ordering: .relaxed, file: file, line: line)
                    .exchanged
            {
                continue
            }
            sleepers.wait(file: file, line: line)
        }
    }

    private func unlockContended(_ me: Int, file: StaticString, line: UInt) throws(MutexOwnershipError) {
        let word = state.load(ordering: .relaxed, file: file, line: line)
        guard word >> 1 == me + 1 else {
            throw word == 0 ? .notLocked(caller: me) : .notOwner(caller: me, owner: (word >> 1) - 1)
        }
        // The sleepers bit is set. Every thread that set it is asleep on `sleepers` by the
        // time we hold `parking`, so the signal below cannot be lost.
        parking.lock(file: file, line: line)
        state.store(0, ordering: .releasing, file: file, line: line)
        parking.unlock(file: file, line: line)
        sleepers.signal(file: file, line: line)
    }
}
