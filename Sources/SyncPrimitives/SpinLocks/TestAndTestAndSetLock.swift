import TurnstileRuntime

/// The test-and-test-and-set spin lock: wait by reading, and exchange only when the lock looks
/// free.
///
/// Waiters spin on a load, which each core serves from its own cache until the holder's
/// unlock invalidates it; only then do they race with one exchange each. Far less coherence
/// traffic than ``TestAndSetLock`` under contention, the same semantics.
///
/// - Guarantees: mutual exclusion; deadlock freedom. **No fairness**, no bounded waiting.
/// - Blocking: `lock` busy-waits (``SpinBackoff``); never sleeps.
/// - Memory ordering: the waiting loads are relaxed (they only hint); the winning exchange is
///   acquiring and `unlock` a releasing store.
public final class TestAndTestAndSetLock: MutualExclusionLock {
    private let held: AtomicBool

    /// Creates an unlocked lock; `name` appears in controlled traces.
    public init(name: String = "ttas") {
        held = AtomicBool(false, name: name)
    }

    /// Acquires the lock: waits until it reads free, then tries one exchange, and repeats.
    public func lock(file: StaticString = #fileID, line: UInt = #line) {
        var backoff = SpinBackoff()
        while true {
            while held.load(ordering: .relaxed, file: file, line: line) {
                backoff.pause(file: file, line: line)
            }
            if !held.exchange(true, ordering: .acquiring, file: file, line: line) { return }
        }
    }

    /// Takes the lock if it is free; never waits.
    /// - Returns: whether the caller now holds the lock.
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        !held.load(ordering: .relaxed, file: file, line: line)
            && !held.exchange(true, ordering: .acquiring, file: file, line: line)
    }

    /// Releases the lock; the caller must hold it (not checked: a spin lock has no owner).
    public func unlock(file: StaticString = #fileID, line: UInt = #line) {
        held.store(false, ordering: .releasing, file: file, line: line)
    }
}
