import TurnstileRuntime

/// The operations a scenario performed on a shared object, each with the moment it was called
/// and the moment it returned: the input of a linearizability check.
///
/// Record each call with ``call(_:_:)`` from the logical thread making it. Under the controlled
/// engine one logical thread runs at a time, so the moments form one global order; every call
/// and return is a step of that order, and an operation that is still blocked when the
/// execution ends is *pending* (it may or may not have taken effect).
///
/// Under a partial-order reduction (`.dpor`) the real-time order of independent steps is that
/// of one representative schedule, so a violation that depends only on it can be missed; use
/// random, PCT or the bounded exhaustive search for linearizability checks.
///
/// Not thread-safe: only for code that runs under the controlled engine.
public final class History<Operation, Value>: @unchecked Sendable {
    // Safety: see above; one logical thread runs at a time.

    /// One operation of the history.
    public struct Entry {
        /// The logical thread that made the call, by name.
        public var thread: String
        /// What was asked.
        public var operation: Operation
        /// What it returned; nil while pending.
        public var value: Value?
        /// The moment of the call.
        public var called: Int
        /// The moment of the return; nil while pending.
        public var returned: Int?

        /// Creates an entry (histories recorded elsewhere, or written by hand in tests).
        /// - Parameters:
        ///   - thread: The calling thread's name.
        ///   - operation: What was asked.
        ///   - value: What it returned; nil if pending.
        ///   - called: The moment of the call.
        ///   - returned: The moment of the return (after `called`); nil if pending.
        public init(thread: String, operation: Operation, value: Value?, called: Int, returned: Int?) {
            self.thread = thread
            self.operation = operation
            self.value = value
            self.called = called
            self.returned = returned
        }
    }

    private var clock = 0
    private var stored: [Entry] = []

    /// Creates an empty history.
    public init() {}

    /// The operations so far, in call order.
    public var entries: [Entry] { stored }

    /// Records a call of `operation`, runs `body` (the call on the object under test), records
    /// its return with the value, and returns it. Blocking: as `body`.
    @discardableResult
    public func call(_ operation: Operation, _ body: () -> Value) -> Value {
        clock += 1
        let index = stored.count
        stored.append(Entry(
            thread: ControlledScheduler.currentThreadName ?? "thread", operation: operation, value: nil, called: clock,
            returned: nil))
        let value = body()
        clock += 1
        stored[index].value = value
        stored[index].returned = clock
        return value
    }
}

extension History.Entry: Sendable where Operation: Sendable, Value: Sendable {}
