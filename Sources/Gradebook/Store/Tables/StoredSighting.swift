import Foundation
import GRDB

/// A row of the `sightings` table, mapped through `Codable`: when the grader first saw a commit.
struct StoredSighting: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sightings"

    var studentID: String
    var assignmentID: String
    var commitID: String
    var firstSeenAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case studentID = "student_id"
        case assignmentID = "assignment_id"
        case commitID = "commit_id"
        case firstSeenAt = "first_seen_at"
    }
}
