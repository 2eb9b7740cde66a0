import Foundation
import GRDB

/// A row of the `assignments` table, mapped through `Codable`.
struct StoredAssignment: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "assignments"

    var id: String
    var title: String
    var maxScore: Double
    var checksVersion: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title
        case maxScore = "max_score"
        case checksVersion = "checks_version"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// A row holding `assignment`, created and updated at `now`.
    init(_ assignment: AssignmentRecord, at now: Date) {
        id = assignment.id
        title = assignment.title
        maxScore = assignment.maxScore
        checksVersion = assignment.checksVersion
        createdAt = now
        updatedAt = now
    }

    /// The public record.
    var record: AssignmentRecord {
        AssignmentRecord(id: id, title: title, maxScore: maxScore, checksVersion: checksVersion)
    }
}
