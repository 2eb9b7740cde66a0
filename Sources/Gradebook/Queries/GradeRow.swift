import Foundation

/// The current grade of one student on one assignment: the latest recorded submission,
/// after the late penalty and any instructor override.
public struct GradeRow: Codable, Hashable, Sendable {
    /// The student.
    public var studentID: String
    /// The student's full name.
    public var name: String
    /// The assignment.
    public var assignmentID: String
    /// Final score: the override if there is one, otherwise `max(0, rawScore - latePenalty)`.
    public var score: Double
    /// Points available.
    public var maxScore: Double
    /// Commit graded, if one was known.
    public var commitID: String?
    /// How far grading got.
    public var status: SubmissionStatus
    /// Whether an instructor override set ``score``.
    public var overridden: Bool
    /// Points earned by the checks before the late penalty.
    public var rawScore: Double
    /// Points deducted for lateness (ignored when ``overridden``).
    public var latePenalty: Double
    /// The override in force, if any.
    public var override: GradeOverride?
    /// Version of the hidden checks used.
    public var checksVersion: String
    /// Row id of the submission this grade comes from.
    public var submissionID: Int64
    /// When grading finished.
    public var gradedAt: Date

    /// Computes a final score from its parts, the one rule every view of a grade uses.
    ///
    /// - Parameters:
    ///   - rawScore: Points earned before the late penalty.
    ///   - latePenalty: Points deducted for lateness.
    ///   - override: The instructor's score, if set; it wins over everything else.
    /// - Returns: `override` if present, otherwise `max(0, rawScore - latePenalty)`.
    public static func finalScore(rawScore: Double, latePenalty: Double, override: Double?) -> Double {
        if let override { return override }
        return max(0, rawScore - latePenalty)
    }
}
