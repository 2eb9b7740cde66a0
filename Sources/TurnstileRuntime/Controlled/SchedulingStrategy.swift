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
    /// Which store a load reads under the release/acquire model: the location's store with this
    /// number (0 is the location's first value, higher numbers came later).
    case read(Int)
}

/// What the scheduler is deciding.
public enum DecisionKind: Sendable {
    /// Which thread runs next (or which store buffer flushes).
    case schedule
    /// Which of several waiters a `signal` wakes.
    case wakeOne
    /// Whether to inject a spurious wakeup into a `wait`.
    case spuriousWakeup
    /// Which of the stores a load may still see it reads (release/acquire model only); the
    /// newest is offered first.
    case readFrom
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
    /// Whether the strategy tracks dependencies (partial-order reduction). If so the scheduler
    /// calls ``choose(_:context:)`` at every scheduling point, also those with one choice, and
    /// reports every object each step touches through ``accessed(_:isWrite:)``.
    var observesDependencies: Bool { get }
    /// The step in progress touched the object with this serial; `isWrite` if it changed it
    /// (a store, a read-modify-write, any lock or condition operation). Serials of threads
    /// (for spawn, finish and join) are negative: thread `t` is `-(t + 1)`.
    func accessed(_ object: Int, isWrite: Bool)
    /// Called after each execution, so a systematic search can move to its next schedule.
    func endExecution()
}

/// The index a strategy returns from ``SchedulingStrategy/choose(_:context:)`` to end the
/// execution as redundant (every way on from here was explored already). The scheduler stops
/// it without a failure and marks its report ``ExecutionReport/abandoned``.
public let abandonExecution = -1

extension SchedulingStrategy {
    /// Ignores thread creation; strategies that track threads (PCT) override it.
    public func threadCreated(_ id: Int) {}
    /// Never exhausted; only a systematic search overrides it.
    public var isExhausted: Bool { false }
    /// No dependency tracking.
    public var observesDependencies: Bool { false }
    /// Ignores accesses.
    public func accessed(_ object: Int, isWrite: Bool) {}
    /// Nothing to do between executions.
    public func endExecution() {}
}
