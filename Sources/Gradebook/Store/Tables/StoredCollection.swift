import Foundation
import GRDB

/// A row of the `collections` table, mapped through `Codable`: a commit pinned when fetched
/// at a deadline.
struct StoredCollection: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "collections"

    var id: Int64?
    var studentID: String
    var assignmentID: String
    var repository: String
    var commitID: String
    var commitTime: Date
    var collectedAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, repository
        case studentID = "student_id"
        case assignmentID = "assignment_id"
        case commitID = "commit_id"
        case commitTime = "commit_time"
        case collectedAt = "collected_at"
    }

    init(_ collection: CollectionRecord) {
        studentID = collection.studentID
        assignmentID = collection.assignmentID
        repository = collection.repository
        commitID = collection.commitID
        commitTime = collection.commitTime
        collectedAt = collection.collectedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The public record.
    var record: CollectionRecord {
        CollectionRecord(
            studentID: studentID, assignmentID: assignmentID, repository: repository, commitID: commitID,
            commitTime: commitTime, collectedAt: collectedAt)
    }
}
