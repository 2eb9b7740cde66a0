/// One alternative the controlled scheduler can take at a decision.
public enum Choice: Hashable, Sendable {
    /// Let the logical thread with this id run its next operation.
    case run(Int)
    /// Flush the oldest store in this thread's store buffer to memory (TSO only).
    case flush(Int)
    /// Wake this waiting thread (a `signal` with several waiters).
    case wake(Int)
    /// Whether a `wait` returns spuriously (`true`) or really waits (`false`).
    case spurious(Bool)
}

/// What the scheduler is deciding.
public enum DecisionKind: Sendable {
    /// Which thread runs next (or which store buffer flushes).
    case schedule
    /// Which of several waiters a `signal` wakes.
    case wakeOne
    /// Whether to inject a spurious wakeup into a `wait`.
    case spuriousWakeup
}

/// The situation at one decision, for strategies that weigh alternatives (PCT, bounded
/// preemption).
public struct DecisionContext: Sendable {
    /// What is being decided.
    public var kind: DecisionKind
    /// The logical thread that was running when the decision was reached.
    public var current: Int
    /// Whether the current thread is enabled (among the `.run` choices).
    public var currentEnabled: Bool
    /// Whether the current thread reached this point by yielding or spinning.
    public var yielding: Bool
    /// Decisions made so far in this execution.
    public var step: Int
}

/// Decides every nondeterministic choice of a controlled execution.
///
/// A strategy must be a pure function of its own state and the choices it is shown: the
/// same seed and the same program give the same decisions, and so the same trace. The
/// scheduler calls it only when there are at least two choices.
public protocol SchedulingStrategy: AnyObject {
    /// Called before each execution; `index` counts executions from zero.
    func beginExecution(_ index: Int)
    /// Returns the index in `choices` to take.
    func choose(_ choices: [Choice], context: DecisionContext) -> Int
    /// Called when the program creates logical thread `id` (the main thread is 0).
    func threadCreated(_ id: Int)
    /// Whether the strategy has no schedules left to try (a finished exhaustive search).
    var isExhausted: Bool { get }
}

extension SchedulingStrategy {
    /// Ignores thread creation; strategies that track threads (PCT) override it.
    public func threadCreated(_ id: Int) {}
    /// Never exhausted; only a systematic search overrides it.
    public var isExhausted: Bool { false }
}
