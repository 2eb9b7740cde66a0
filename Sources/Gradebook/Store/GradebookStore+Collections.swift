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
            var row = StoredCollection(collection)
            try row.insert(db)
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
            try StoredCollection
                .filter(Column("student_id") == studentID && Column("assignment_id") == assignmentID
                    && Column("collected_at") >= moment)
                .order(Column("collected_at"), Column("id"))
                .fetchOne(db)?.record
        }
    }
}
