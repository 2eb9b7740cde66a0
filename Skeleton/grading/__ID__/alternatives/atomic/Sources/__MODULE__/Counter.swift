import TurnstileRuntime

// A correct alternative: one atomic read-modify-write instead of a lock.
public final class Counter: @unchecked Sendable {
    private let count = AtomicInt(0, name: "count")

    public init() {}

    public func increment() { count.fetchAdd(1) }

    public var value: Int { count.load() }
}
