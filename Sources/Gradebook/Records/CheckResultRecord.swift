/// The result of one check on one submission, kept so the grade can be explained and reproduced.
public struct CheckResultRecord: Codable, Hashable, Sendable {
    /// Identifier of the check in the assignment manifest. Unique within a submission.
    public var checkID: String
    /// Human title of the check.
    public var title: String
    /// What happened.
    public var outcome: CheckOutcome
    /// Points awarded.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
    /// Wall-clock time the check took.
    public var durationSeconds: Double
    /// Seed of the controlled scheduler, so the failure can be replayed; `nil` if not seeded.
    public var seed: UInt64?
    /// Failure trace (thread, operation, `file:line` per step), if any.
    public var trace: String?
    /// One-line explanation for the student, for example "two threads were in the critical section".
    public var message: String
    /// Whether students may see the check's trace.
    public var visibility: CheckVisibility
    /// What the student's code printed during the check: their own text, never a verdict, shown
    /// under its own label.
    public var studentOutput: String?
    /// The property a failure broke, as the engine named it (`deadlock`, `livelock`,
    /// `assertion`, `misuse`, `starvation`, `crash`, `no progress`, …); nil when it passed.
    public var property: String?

    /// Creates a check result.
    ///
    /// - Parameters:
    ///   - checkID: Identifier of the check in the manifest; unique within a submission.
    ///   - title: Human title of the check.
    ///   - outcome: What happened.
    ///   - points: Points awarded.
    ///   - maxPoints: Points available.
    ///   - durationSeconds: Wall-clock time the check took.
    ///   - seed: Scheduler seed for replay, if any.
    ///   - trace: Failure trace, if any.
    ///   - message: One-line explanation for the student.
    ///   - visibility: Whether students may see the trace.
    ///   - studentOutput: What the student's code printed, if anything.
    ///   - property: The property a failure broke.
    public init(
        checkID: String, title: String, outcome: CheckOutcome, points: Double, maxPoints: Double,
        durationSeconds: Double, seed: UInt64? = nil, trace: String? = nil, message: String = "",
        visibility: CheckVisibility, studentOutput: String? = nil, property: String? = nil
    ) {
        self.checkID = checkID
        self.title = title
        self.outcome = outcome
        self.points = points
        self.maxPoints = maxPoints
        self.durationSeconds = durationSeconds
        self.seed = seed
        self.trace = trace
        self.message = message
        self.visibility = visibility
        self.studentOutput = studentOutput
        self.property = property
    }
}
