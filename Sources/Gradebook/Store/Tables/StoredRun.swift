import Foundation
import GRDB

/// A row of the `runs` table, mapped through `Codable`; `id` is SQLite's, set on insert.
struct StoredRun: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "runs"

    var id: Int64?
    var assignmentID: String
    var deadline: Date?
    var checksVersion: String
    var startedAt: Date
    var startedBy: String
    var finishedAt: Date?
    var summary: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, deadline, summary
        case assignmentID = "assignment_id"
        case checksVersion = "checks_version"
        case startedAt = "started_at"
        case startedBy = "started_by"
        case finishedAt = "finished_at"
    }

    init(assignmentID: String, deadline: Date?, checksVersion: String, startedAt: Date, startedBy: String) {
        self.assignmentID = assignmentID
        self.deadline = deadline
        self.checksVersion = checksVersion
        self.startedAt = startedAt
        self.startedBy = startedBy
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The public record (a fetched row always has its id).
    var record: RunRecord {
        RunRecord(
            id: id ?? 0, assignmentID: assignmentID, deadline: deadline, checksVersion: checksVersion,
            startedAt: startedAt, finishedAt: finishedAt, summary: summary, startedBy: startedBy)
    }
}
