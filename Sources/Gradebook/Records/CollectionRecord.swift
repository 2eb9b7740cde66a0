import Foundation

/// A commit the grader saw at a given moment: what `turnstile collect` pins at the deadline.
///
/// Commit times are set by the student's machine, so a commit made after the deadline can
/// claim an earlier time. A collection records what the repository held when the grader looked;
/// grading then walks back from the pinned commit, so nothing pushed later counts, whatever
/// date it claims.
public struct CollectionRecord: Codable, Hashable, Sendable {
    /// The student who owns the repository. Must already be in the gradebook.
    public var studentID: String
    /// The assignment collected for. Must already be in the gradebook.
    public var assignmentID: String
    /// The repository URL or path actually fetched.
    public var repository: String
    /// The branch tip when collected.
    public var commitID: String
    /// That commit's claimed time.
    public var commitTime: Date
    /// When the grader fetched it.
    public var collectedAt: Date

    /// Creates a record of one collection.
    /// - Parameters:
    ///   - studentID: The student; must already be in the gradebook.
    ///   - assignmentID: The assignment; must already be in the gradebook.
    ///   - repository: The repository URL or path fetched.
    ///   - commitID: The branch tip's commit id when fetched.
    ///   - commitTime: That commit's claimed time.
    ///   - collectedAt: When the grader fetched it.
    public init(studentID: String, assignmentID: String, repository: String, commitID: String, commitTime: Date, collectedAt: Date) {
        self.studentID = studentID
        self.assignmentID = assignmentID
        self.repository = repository
        self.commitID = commitID
        self.commitTime = commitTime
        self.collectedAt = collectedAt
    }
}
