import Foundation
import GRDB

/// A row of the `pinned_files` table, mapped through `Codable`: the content hash of one student
/// file of a collected commit.
struct StoredPinnedFile: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pinned_files"

    var studentID: String
    var assignmentID: String
    var commitID: String
    var path: String
    var sha256: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case path, sha256
        case studentID = "student_id"
        case assignmentID = "assignment_id"
        case commitID = "commit_id"
    }
}
