import TurnstileRuntime

/// Lets at most `limit` threads be inside at once (a multiplex): a semaphore holding one
/// permit per place.
public final class Multiplex: @unchecked Sendable {
    private let places: Semaphore

    /// Creates a multiplex admitting up to `limit` threads.
    /// - Precondition: `limit > 0`.
    public init(limit: Int) {
        precondition(limit > 0, "a multiplex admits at least one thread")
        places = Semaphore(value: limit)
    }

    /// Enters, sleeping while `limit` threads are inside.
    public func enter() { places.wait() }

    /// Leaves, letting a waiting thread in.
    public func leave() { places.signal() }
}
