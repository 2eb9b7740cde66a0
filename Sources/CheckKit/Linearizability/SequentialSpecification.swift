/// What an object does when its operations run one at a time: the reference a concurrent
/// history is checked against.
public struct SequentialSpecification<State: Hashable, Operation, Value: Equatable> {
    /// The state before any operation.
    public var initial: State
    /// Applies `operation` to `state`: the next state and the value it returns, or nil when
    /// the operation cannot complete in this state (a `get` on an empty buffer blocks).
    public var apply: (State, Operation) -> (state: State, value: Value)?

    /// Creates a specification.
    /// - Parameters:
    ///   - initial: The state before any operation.
    ///   - apply: One operation on one state: the next state and the returned value, or nil
    ///     when the operation would block there.
    public init(initial: State, apply: @escaping (State, Operation) -> (state: State, value: Value)?) {
        self.initial = initial
        self.apply = apply
    }
}
