import TurnstileRuntime

/// A counting semaphore built as a monitor from the runtime's `Lock` and `Condition`.
///
/// Your task: read the assignment README first. `wait()` takes a permit, sleeping while there
/// is none for the caller; `signal()` returns one and wakes a waiter. With `.fifo`, permits go
/// to waiting threads in the order they called `wait()`.
public final class Semaphore: @unchecked Sendable {
    /// Who gets a permit when several threads want one.
    public enum Fairness: Sendable {
        /// Whoever takes the lock first.
        case barging
        /// Strictly in the order the threads called `wait()`.
        case fifo
    }

    // TODO: the lock, the condition(s) and the shared state you need.

    /// Creates a semaphore holding `value` permits.
    public init(value: Int, fairness: Fairness = .barging) {
        // TODO
    }

    /// Takes a permit, sleeping until one is available (P, down).
    public func wait() {
        fatalError("TODO: implement Semaphore.wait")
    }

    /// Returns a permit and wakes a waiter (V, up).
    public func signal() {
        fatalError("TODO: implement Semaphore.signal")
    }
}
