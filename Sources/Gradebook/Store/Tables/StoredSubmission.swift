import Foundation
import GRDB

/// A row of the `submissions` table, mapped through `Codable`; `id` is SQLite's, set on insert.
///
/// The scores live in the submission's ``StoredGrade`` row and the checks in
/// ``StoredCheckResult`` rows; ``record(checks:grade:)`` puts the three back together.
struct StoredSubmission: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "submissions"

    var id: Int64?
    var studentID: String
    var assignmentID: String
    var runID: Int64
    var repository: String
    var commitID: String?
    var commitTime: Date?
    var fetchedAt: Date
    var status: SubmissionStatus
    var statusDetail: String
    var checksVersion: String
    var buildSeconds: Double?
    var gradedAt: Date
    var recordedAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, repository, status
        case studentID = "student_id"
        case assignmentID = "assignment_id"
        case runID = "run_id"
        case commitID = "commit_id"
        case commitTime = "commit_time"
        case fetchedAt = "fetched_at"
        case statusDetail = "status_detail"
        case checksVersion = "checks_version"
        case buildSeconds = "build_seconds"
        case gradedAt = "graded_at"
        case recordedAt = "recorded_at"
    }

    /// The row of `submission`, recorded under `runID` at `now`.
    init(_ submission: SubmissionRecord, runID: Int64, recordedAt now: Date) {
        studentID = submission.studentID
        assignmentID = submission.assignmentID
        self.runID = runID
        repository = submission.repository
        commitID = submission.commitID
        commitTime = submission.commitTime
        fetchedAt = submission.fetchedAt
        status = submission.status
        statusDetail = submission.statusDetail
        checksVersion = submission.checksVersion
        buildSeconds = submission.buildSeconds
        gradedAt = submission.gradedAt
        recordedAt = now
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The public record, with its checks and the scores of its grade row.
    func record(checks: [CheckResultRecord], grade: StoredGrade) -> SubmissionRecord {
        SubmissionRecord(
            studentID: studentID, assignmentID: assignmentID, repository: repository, commitID: commitID,
            commitTime: commitTime, fetchedAt: fetchedAt, status: status, statusDetail: statusDetail,
            checks: checks, score: grade.score, maxScore: grade.maxScore, latePenalty: grade.latePenalty,
            gradedAt: gradedAt, checksVersion: checksVersion, buildSeconds: buildSeconds)
    }
}
