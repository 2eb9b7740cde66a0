/// The result record a check's process writes for the grader.
///
/// The grader trusts only this record — and only when it carries the nonce the grader gave
/// the process on standard input and the process exited cleanly. Nothing the code under test
/// prints is read for a score.
public struct CheckRunRecord: Codable, Sendable, Equatable {
    /// The check's id.
    public var check: String
    /// The check's one-line title.
    public var title: String = ""
    /// Whether the check passed.
    public var passed: Bool
    /// What failed and why (empty when passed).
    public var message: String
    /// `assertion`, `deadlock`, `livelock`, `starvation`, `misuse`, or `verify` / `native`.
    public var failureKind: String?
    /// The seed that replays the failing execution, if the strategy has one.
    public var replaySeed: UInt64?
    /// The exploration's seed.
    public var seed: UInt64?
    /// The strategy used, e.g. `random` or `pct(depth 3, k 200)`.
    public var strategy: String
    /// The strategy of a controlled check, for what its coverage claims; nil for native checks.
    public var strategyKind: StrategyKind?
    /// Executions run (native iterations, or controlled schedules).
    public var schedules: Int
    /// For an exhaustive search: whether every schedule within its bound ran (`true`), or the
    /// budget ended it first (`false`); nil for other strategies. A passing exhaustive check
    /// claims "every schedule" only when this is true.
    public var complete: Bool?
    /// For iterative preemption or delay bounding: the largest bound every one of whose
    /// schedules ran (what an incomplete search still guarantees).
    public var completedBound: Int?
    /// Scheduling decisions made (controlled only).
    public var decisions: Int
    /// The most logical threads one execution had (controlled only; for PCT's bound).
    public var threads: Int?
    /// The most scheduling decisions one execution made (controlled only; for PCT's bound).
    public var steps: Int?
    /// When a systematic search did not complete within its budget: the seeded PCT sample run
    /// after it (`pct(depth 3, k 140) × 2000`), so an inflated state space does not go unchecked.
    public var fallback: String?
    /// On a failure: the property the check declares (an assertion failure is recorded under it).
    public var property: CheckProperty?
    /// The failing schedule as numbered steps.
    public var trace: String?
    /// Time spent in the check.
    public var durationSeconds: Double
    /// The grader's nonce, echoed back.
    public var nonce: String

    /// Creates a record; ``title`` starts empty (``CheckRunner`` fills it in).
    /// - Parameters:
    ///   - check: The check's id.
    ///   - passed: Whether the check passed.
    ///   - message: What failed and why; empty when passed.
    ///   - failureKind: The kind of failure, or nil when passed.
    ///   - replaySeed: The seed that replays the failing execution, if any.
    ///   - seed: The exploration's seed, if any.
    ///   - strategy: The strategy's description.
    ///   - schedules: Executions or iterations run.
    ///   - decisions: Scheduling decisions made (0 for native checks).
    ///   - trace: The failing schedule as numbered steps, if any.
    ///   - durationSeconds: Time spent in the check.
    ///   - nonce: The grader's nonce (default empty, for runs without a grader).
    public init(
        check: String, passed: Bool, message: String, failureKind: String? = nil, replaySeed: UInt64? = nil,
        seed: UInt64? = nil, strategy: String, schedules: Int, decisions: Int, trace: String? = nil,
        durationSeconds: Double, nonce: String = ""
    ) {
        self.check = check
        self.passed = passed
        self.message = message
        self.failureKind = failureKind
        self.replaySeed = replaySeed
        self.seed = seed
        self.strategy = strategy
        self.schedules = schedules
        self.decisions = decisions
        self.trace = trace
        self.durationSeconds = durationSeconds
        self.nonce = nonce
    }
}
