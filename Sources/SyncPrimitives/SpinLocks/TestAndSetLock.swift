import TurnstileRuntime

/// The test-and-set spin lock: one atomic flag, taken with an atomic exchange.
///
/// `lock` repeats `exchange(true)` until it returns `false`. The simplest hardware-assisted
/// lock, and the slowest under contention: every failed attempt is a write, so the cache line
/// bounces between the waiting cores.
///
/// - Guarantees: mutual exclusion; deadlock freedom. **No fairness** and no bounded waiting:
///   the thread that happens to exchange first after an unlock wins, so a waiter can starve.
/// - Blocking: `lock` busy-waits (``SpinBackoff``: spins, then yields); never sleeps. Use it
///   for very short critical sections only.
/// - Memory ordering: the winning exchange is acquiring, `unlock` is a releasing store, so a
///   critical section sees every write of the previous one.
public final class TestAndSetLock: MutualExclusionLock {
    private let held: AtomicBool

    /// Creates an unlocked lock; `name` appears in controlled traces.
    public init(name: String = "tas") {
        held = AtomicBool(false, name: name)
    }

    /// Acquires the lock, spinning on `exchange(true)` until it was free.
    public func lock(file: StaticString = #fileID, line: UInt = #line) {
        var backoff = SpinBackoff()
        while held.exchange(true, ordering: .acquiring, file: file, line: line) {
            backoff.pause(file: file, line: line)
        }
    }

    /// One `exchange(true)`: takes the lock if it was free.
    /// - Returns: whether the caller now holds the lock.
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        !held.exchange(true, ordering: .acquiring, file: file, line: line)
    }

    /// Releases the lock; the caller must hold it (not checked: a spin lock has no owner).
    public func unlock(file: StaticString = #fileID, line: UInt = #line) {
        held.store(false, ordering: .releasing, file: file, line: line)
    }
}
