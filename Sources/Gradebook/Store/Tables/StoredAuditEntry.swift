import Foundation
import GRDB

/// A row of the `audit` table, mapped through `Codable`. The action is kept as text so entries
/// written by a later version still read (see ``AuditAction``).
struct StoredAuditEntry: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit"

    var id: Int64?
    var at: Date
    var actor: String
    var action: AuditAction
    var studentID: String?
    var assignmentID: String?
    var detail: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, at, actor, action, detail
        case studentID = "student_id"
        case assignmentID = "assignment_id"
    }

    init(at: Date, actor: String, action: AuditAction, studentID: String?, assignmentID: String?, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.studentID = studentID
        self.assignmentID = assignmentID
        self.detail = detail
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The public entry (a fetched row always has its id).
    var entry: AuditEntry {
        AuditEntry(
            id: id ?? 0, at: at, actor: actor, action: action, studentID: studentID, assignmentID: assignmentID,
            detail: detail)
    }
}
