import TurnstileRuntime

/// A counter several threads increment at once.
///
/// - Blocking: `increment` and `value` take the lock briefly.
public final class Counter: @unchecked Sendable {
    private let lock = Lock(name: "counter")
    private let count = Shared(0, name: "count")

    /// Creates a counter at zero.
    public init() {}

    /// Adds one.
    public func increment() {
        lock.withLock { count.store(count.load() + 1) }
    }

    /// The increments so far.
    public var value: Int { lock.withLock { count.load() } }
}
