import TurnstileRuntime

/// A ticket lock: mutual exclusion for any number of threads, served first come, first served,
/// like the numbered tickets at a counter.
///
/// `lock` takes the next ticket with one atomic fetch-and-add, then waits until the lock serves
/// that number; `unlock` serves the next number.
///
/// - Guarantees: mutual exclusion, no deadlock, FIFO in ticket order (no thread is overtaken
///   after it has its ticket).
/// - Memory ordering: taking a ticket is a read-modify-write (atomic, so no two threads share a
///   ticket); waiting acquires and serving releases, so the critical section sees the previous
///   holder's writes.
public final class TicketLock: @unchecked Sendable {
    // Safety: all shared state is in runtime atomics.
    private let nextTicket = AtomicInt(0, name: "nextTicket")
    private let nowServing = AtomicInt(0, name: "nowServing")

    /// Creates an unlocked lock.
    public init() {}

    /// Takes a ticket and spins until it is served.
    public func lock() {
        let ticket = nextTicket.fetchAdd(1)
        var spins = 0
        while nowServing.load(ordering: .acquiring) != ticket {
            // Spin briefly, then give the CPU away: the holder may be descheduled.
            spins += 1
            if spins % 64 == 0 { Runtime.yield() } else { Runtime.spinHint() }
        }
    }

    /// Serves the next ticket. Only the holder calls this.
    public func unlock() {
        // MUTANT: skips a ticket.
        nowServing.fetchAdd(2, ordering: .releasing)
    }
}
