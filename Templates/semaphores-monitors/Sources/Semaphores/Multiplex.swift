import TurnstileRuntime

/// Lets at most `limit` threads be inside at once, built from your `Semaphore`s alone.
public final class Multiplex: @unchecked Sendable {
    // TODO: what you need.

    /// Creates a multiplex admitting up to `limit` threads.
    public init(limit: Int) {
        // TODO
    }

    /// Enters, sleeping while `limit` threads are inside.
    public func enter() {
        fatalError("TODO: implement Multiplex.enter")
    }

    /// Leaves, letting a waiting thread in.
    public func leave() {
        fatalError("TODO: implement Multiplex.leave")
    }
}
