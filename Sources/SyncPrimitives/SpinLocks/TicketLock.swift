import TurnstileRuntime

/// The ticket lock: take a ticket with `fetchAdd`, wait until it is being served.
///
/// Two counters: `next` (the next ticket to hand out) and `serving` (the ticket allowed in).
/// Like a deli counter, threads enter in the order they took tickets.
///
/// - Guarantees: mutual exclusion; deadlock freedom; first-come-first-served in the order of
///   the `fetchAdd` (the doorway): a thread is overtaken only by threads that took their
///   ticket before it, so at most N−1 entries.
/// - Blocking: `lock` busy-waits (``SpinBackoff``); never sleeps. With more running threads
///   than cores the FIFO order hurts: if the next ticket holder is descheduled, everybody
///   waits for it (yielding softens this).
/// - Memory ordering: the ticket `fetchAdd` is relaxed (it only orders the queue); the wait
///   is an acquiring load of `serving`, and `unlock` a releasing store of `serving + 1`.
public final class TicketLock: MutualExclusionLock {
    private let next: AtomicInt
    private let serving: AtomicInt
    private let probe: DoorwayProbe?

    /// Creates an unlocked ticket lock; `name` prefixes the names in controlled traces.
    public convenience init(name: String = "ticket") {
        self.init(name: name, probe: nil)
    }

    package init(name: String = "ticket", probe: DoorwayProbe?) {
        next = AtomicInt(0, name: "\(name).next")
        serving = AtomicInt(0, name: "\(name).serving")
        self.probe = probe
    }

    /// Takes a ticket and waits until it is served.
    public func lock(file: StaticString = #fileID, line: UInt = #line) {
        probe?.started(Runtime.currentThreadID)
        let ticket = next.fetchAdd(1, ordering: .relaxed, file: file, line: line)
        probe?.finished(Runtime.currentThreadID)
        var backoff = SpinBackoff()
        while serving.load(ordering: .acquiring, file: file, line: line) != ticket {
            backoff.pause(file: file, line: line)
        }
    }

    /// Takes the lock only if nobody holds or waits for it; never waits.
    /// - Returns: whether the caller now holds the lock.
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        let now = serving.load(ordering: .acquiring, file: file, line: line)
        return next.compareExchange(expected: now, desired: now + 1, ordering: .acquiring, file: file, line: line)
            .exchanged
    }

    /// Serves the next ticket; the caller must hold the lock (not checked).
    public func unlock(file: StaticString = #fileID, line: UInt = #line) {
        let now = serving.load(ordering: .relaxed, file: file, line: line)
        serving.store(now + 1, ordering: .releasing, file: file, line: line)
    }
}
