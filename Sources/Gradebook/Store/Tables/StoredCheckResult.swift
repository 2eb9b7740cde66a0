import Foundation
import GRDB

/// A row of the `check_results` table, mapped through `Codable`.
///
/// The seed is kept as decimal text: SQLite integers are signed 64-bit and seeds are unsigned.
struct StoredCheckResult: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "check_results"

    var id: Int64?
    var submissionID: Int64
    var position: Int
    var checkID: String
    var title: String
    var outcome: CheckOutcome
    var points: Double
    var maxPoints: Double
    var durationSeconds: Double
    var seed: String?
    var trace: String?
    var message: String
    var visibility: CheckVisibility
    var studentOutput: String?
    var property: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, position, title, outcome, points, seed, trace, message, visibility, property
        case submissionID = "submission_id"
        case checkID = "check_id"
        case maxPoints = "max_points"
        case durationSeconds = "duration_seconds"
        case studentOutput = "student_output"
    }

    /// The row of `check`, the `position`-th check of submission `submissionID`.
    init(_ check: CheckResultRecord, position: Int, submissionID: Int64) {
        self.submissionID = submissionID
        self.position = position
        checkID = check.checkID
        title = check.title
        outcome = check.outcome
        points = check.points
        maxPoints = check.maxPoints
        durationSeconds = check.durationSeconds
        seed = check.seed.map(String.init)
        trace = check.trace
        message = check.message
        visibility = check.visibility
        studentOutput = check.studentOutput
        property = check.property
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The public record.
    var record: CheckResultRecord {
        CheckResultRecord(
            checkID: checkID, title: title, outcome: outcome, points: points, maxPoints: maxPoints,
            durationSeconds: durationSeconds, seed: seed.flatMap { UInt64($0) }, trace: trace, message: message,
            visibility: visibility, studentOutput: studentOutput, property: property)
    }
}
