import TurnstileRuntime

/// A ticket lock: mutual exclusion for any number of threads, first come, first served.
///
/// Your task: implement `lock` and `unlock` with two counters: the next ticket to hand out and
/// the ticket now being served. Taking a ticket must be atomic.
public final class TicketLock: @unchecked Sendable {
    // TODO: the two counters.

    /// Creates an unlocked lock.
    public init() {}

    /// Takes a ticket and waits until it is served.
    public func lock() {
        // TODO
        fatalError("TODO: implement TicketLock.lock")
    }

    /// Serves the next ticket. Only the holder calls this.
    public func unlock() {
        // TODO
        fatalError("TODO: implement TicketLock.unlock")
    }
}
