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
                try db.execute(
                    sql: "INSERT OR IGNORE INTO sightings (student_id, assignment_id, commit_id, first_seen_at) VALUES (?, ?, ?, ?)",
                    arguments: [studentID, assignmentID, commit, moment])
            }
        }
    }

    /// When the grader first saw each of the student's commits for the assignment.
    public func sightings(studentID: String, assignmentID: String) throws -> [String: Date] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT commit_id, first_seen_at FROM sightings WHERE student_id = ? AND assignment_id = ?",
                arguments: [studentID, assignmentID])
            return Dictionary(rows.map { ($0["commit_id"] as String, $0["first_seen_at"] as Date) }, uniquingKeysWith: min)
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
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO pinned_files (student_id, assignment_id, commit_id, path, sha256)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [studentID, assignmentID, commitID, path, hash])
            }
        }
    }

    /// The pinned files of a commit: path → SHA-256 of the content kept at collection.
    public func pinnedFiles(studentID: String, assignmentID: String, commitID: String) throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT path, sha256 FROM pinned_files WHERE student_id = ? AND assignment_id = ? AND commit_id = ?",
                arguments: [studentID, assignmentID, commitID])
            return Dictionary(rows.map { ($0["path"] as String, $0["sha256"] as String) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
