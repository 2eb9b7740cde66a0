import Foundation
import GRDB

extension GradebookStore {
    /// Records that the grader saw `commitIDs` at `moment`; a commit seen before keeps its first
    /// sighting. Lateness is measured from these times, never from a commit's claimed date.
    /// - Throws: ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``.
    public func recordSightings(studentID: String, assignmentID: String, commitIDs: [String], at moment: Date) throws {
        try write { db in
            try requireStudent(db, studentID)
            _ = try requireAssignment(db, assignmentID)
            for commit in commitIDs {
                try StoredSighting(studentID: studentID, assignmentID: assignmentID, commitID: commit, firstSeenAt: moment)
                    .insert(db, onConflict: .ignore)
            }
        }
    }

    /// When the grader first saw each of the student's commits for the assignment.
    public func sightings(studentID: String, assignmentID: String) throws -> [String: Date] {
        try read { db in
            let rows = try StoredSighting
                .filter(Column("student_id") == studentID && Column("assignment_id") == assignmentID)
                .fetchAll(db)
            return Dictionary(rows.map { ($0.commitID, $0.firstSeenAt) }, uniquingKeysWith: min)
        }
    }

    /// Whether any collection was ever made for the student on the assignment.
    public func hasCollection(studentID: String, assignmentID: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM collections WHERE student_id = ? AND assignment_id = ?)",
                arguments: [studentID, assignmentID]) ?? false
        }
    }

    /// Records which content (by SHA-256) each student-owned file had in a pinned commit.
    public func recordPinnedFiles(studentID: String, assignmentID: String, commitID: String, files: [String: String]) throws {
        try write { db in
            for (path, hash) in files {
                try StoredPinnedFile(studentID: studentID, assignmentID: assignmentID, commitID: commitID, path: path, sha256: hash)
                    .insert(db, onConflict: .replace)
            }
        }
    }

    /// The pinned files of a commit: path → SHA-256 of the content kept at collection.
    public func pinnedFiles(studentID: String, assignmentID: String, commitID: String) throws -> [String: String] {
        try read { db in
            let rows = try StoredPinnedFile
                .filter(Column("student_id") == studentID && Column("assignment_id") == assignmentID
                    && Column("commit_id") == commitID)
                .fetchAll(db)
            return Dictionary(rows.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
