import TurnstileRuntime

/// A binary semaphore: a semaphore whose count is 0 or 1.
///
/// `wait` takes the one permit, sleeping until it is there; `signal` makes it available. A
/// `signal` on an available semaphore changes nothing (the permit does not pile up) and
/// returns `false`, so a lost signal is visible to the caller. Unlike ``OwnedMutex`` it has no
/// owner: any thread may signal, which is the point when it is used for signalling (one
/// thread tells another that something happened) and the danger when it is used as a lock.
///
/// - Guarantees: at most one permit exists; a `wait` returns only after a `signal` (or the
///   initial permit) made one available. **No fairness** among waiters.
/// - Blocking: `wait` sleeps while no permit is available; `tryWait` and `signal` never block.
/// - Memory ordering: `signal` releases and the `wait` that takes the permit acquires (both
///   go through one runtime `Lock`).
public final class BinarySemaphore: Sendable {
    private let lock: Lock
    private let available: Condition
    private let permit: Shared<Bool>

    /// Creates a binary semaphore, with its permit available or not.
    public init(available isAvailable: Bool, name: String = "binary-semaphore") {
        lock = Lock(name: "\(name).lock")
        available = Condition(lock: lock, name: "\(name).available")
        permit = Shared(isAvailable, name: "\(name).permit")
    }

    /// Takes the permit, sleeping until it is available.
    public func wait(file: StaticString = #fileID, line: UInt = #line) {
        lock.lock(file: file, line: line)
        while !permit.load(file: file, line: line) {
            available.wait(file: file, line: line)
        }
        permit.store(false, file: file, line: line)
        lock.unlock(file: file, line: line)
    }

    /// Takes the permit if it is available now; never blocks.
    /// - Returns: whether the permit was taken.
    public func tryWait(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        lock.withLock(file: file, line: line) {
            guard permit.load(file: file, line: line) else { return false }
            permit.store(false, file: file, line: line)
            return true
        }
    }

    /// Makes the permit available and wakes one waiter.
    /// - Returns: `false` if the permit was already available (this signal was absorbed).
    @discardableResult
    public func signal(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        lock.withLock(file: file, line: line) {
            if permit.load(file: file, line: line) { return false }
            permit.store(true, file: file, line: line)
            available.signal(file: file, line: line)
            return true
        }
    }

    /// Whether the permit is available now (a snapshot).
    public var isAvailable: Bool { lock.withLock { permit.load() } }
}
