import Foundation
import GRDB

extension GradebookStore {
    /// Pins a student's commit as collected (one row per collection; the audit trail notes it).
    /// - Throws: ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``,
    ///   ``GradebookError/database(message:)``.
    public func recordCollection(_ collection: CollectionRecord) throws {
        try write { db in
            try requireStudent(db, collection.studentID)
            _ = try requireAssignment(db, collection.assignmentID)
            try db.execute(
                sql: """
                    INSERT INTO collections (student_id, assignment_id, repository, commit_id, commit_time, collected_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    collection.studentID, collection.assignmentID, collection.repository, collection.commitID,
                    collection.commitTime, collection.collectedAt,
                ])
            try audit(
                db, .commitCollected, studentID: collection.studentID, assignmentID: collection.assignmentID,
                detail: "collected \(collection.commitID.prefix(12)) at \(DateText.format(collection.collectedAt))")
        }
    }

    /// The earliest collection of a student's assignment made at or after `moment` (the first
    /// look at the repository once the deadline had passed), or nil if there is none.
    /// - Throws: ``GradebookError/database(message:)``.
    public func collection(studentID: String, assignmentID: String, atOrAfter moment: Date) throws -> CollectionRecord? {
        try read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT student_id, assignment_id, repository, commit_id, commit_time, collected_at FROM collections
                    WHERE student_id = ? AND assignment_id = ? AND collected_at >= ?
                    ORDER BY collected_at ASC, id ASC LIMIT 1
                    """,
                arguments: [studentID, assignmentID, moment])
            else { return nil }
            return CollectionRecord(
                studentID: row["student_id"], assignmentID: row["assignment_id"], repository: row["repository"],
                commitID: row["commit_id"], commitTime: row["commit_time"], collectedAt: row["collected_at"])
        }
    }
}
