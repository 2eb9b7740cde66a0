/// Everything the gradebook knows about one recorded submission: the record as graded,
/// every check result, and the grade that follows from it.
public struct SubmissionDetail: Codable, Hashable, Sendable {
    /// Row id of the submission (higher is more recent).
    public var submissionID: Int64
    /// The batch run that recorded it.
    public var runID: Int64
    /// The student's full name.
    public var studentName: String
    /// The assignment's title.
    public var assignmentTitle: String
    /// The submission as recorded, with its checks in their original order.
    public var submission: SubmissionRecord
    /// The instructor override in force, if any.
    public var override: GradeOverride?

    /// The final score: the override if set, otherwise the score after the late penalty.
    public var finalScore: Double {
        GradeRow.finalScore(
            rawScore: submission.score, latePenalty: submission.latePenalty, override: override?.score)
    }
}
