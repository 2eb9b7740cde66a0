import TurnstileRuntime

/// A mutable box that controlled-engine scenarios share between logical threads.
///
/// Not thread-safe: only for code that runs under the controlled engine, where one logical
/// thread runs at a time, or that is otherwise synchronized.
public final class ControlledBox<Value>: @unchecked Sendable {
    // Safety: see above; callers guarantee one accessor at a time.
    /// The value.
    public var value: Value

    /// Creates a box holding `value`.
    public init(_ value: Value) { self.value = value }
}
