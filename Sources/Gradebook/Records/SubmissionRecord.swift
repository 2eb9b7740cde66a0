import Foundation

/// One graded (or failed) attempt at one assignment by one student: what was fetched, what
/// ran, and what it scored.
///
/// Recorded with ``GradebookStore/recordSubmission(_:runID:)``, which writes it, its
/// ``checks`` and its grade in one transaction.
public struct SubmissionRecord: Codable, Hashable, Sendable {
    /// The student who owns the repository. Must already be in the gradebook.
    public var studentID: String
    /// The assignment graded. Must already be in the gradebook and match the run's.
    public var assignmentID: String
    /// The repository URL or path actually fetched.
    public var repository: String
    /// Commit graded; `nil` when grading failed before a commit was known.
    public var commitID: String?
    /// The commit's own (student-controlled) date, kept for the record only.
    public var commitTime: Date?
    /// When the grader fetched the repository: the time the deadline is judged against.
    public var fetchedAt: Date
    /// How far grading got.
    public var status: SubmissionStatus
    /// Details for the status, for example the compiler's first error or the rejected path.
    public var statusDetail: String
    /// One result per check that was considered, in display order. Check IDs must be unique.
    public var checks: [CheckResultRecord]
    /// Points earned before any late penalty (normally the sum of the checks' points).
    public var score: Double
    /// Points available.
    public var maxScore: Double
    /// Points deducted for lateness, in the same unit as ``score`` (not a fraction).
    /// The final score is `max(0, score - latePenalty)` unless an instructor override applies.
    public var latePenalty: Double
    /// When grading finished.
    public var gradedAt: Date
    /// Version of the hidden checks used.
    public var checksVersion: String
    /// How long the build took, if it ran.
    public var buildSeconds: Double?

    /// Creates a submission record.
    ///
    /// - Parameters:
    ///   - studentID: The student; must already be in the gradebook.
    ///   - assignmentID: The assignment; must match the run's assignment.
    ///   - repository: The repository URL or path fetched.
    ///   - commitID: Commit graded, or `nil` if none was known.
    ///   - commitTime: The commit's own date.
    ///   - fetchedAt: When the grader fetched the repository.
    ///   - status: How far grading got.
    ///   - statusDetail: Details for the status.
    ///   - checks: One result per check, with unique check IDs.
    ///   - score: Points earned before the late penalty.
    ///   - maxScore: Points available.
    ///   - latePenalty: Points deducted for lateness (not a fraction).
    ///   - gradedAt: When grading finished.
    ///   - checksVersion: Version of the hidden checks used.
    ///   - buildSeconds: Build duration, if the build ran.
    public init(
        studentID: String, assignmentID: String, repository: String, commitID: String?,
        commitTime: Date?, fetchedAt: Date, status: SubmissionStatus, statusDetail: String = "",
        checks: [CheckResultRecord], score: Double, maxScore: Double, latePenalty: Double = 0,
        gradedAt: Date, checksVersion: String, buildSeconds: Double? = nil
    ) {
        self.studentID = studentID
        self.assignmentID = assignmentID
        self.repository = repository
        self.commitID = commitID
        self.commitTime = commitTime
        self.fetchedAt = fetchedAt
        self.status = status
        self.statusDetail = statusDetail
        self.checks = checks
        self.score = score
        self.maxScore = maxScore
        self.latePenalty = latePenalty
        self.gradedAt = gradedAt
        self.checksVersion = checksVersion
        self.buildSeconds = buildSeconds
    }
}
