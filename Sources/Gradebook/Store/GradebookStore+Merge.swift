import Foundation
import GRDB

extension GradebookStore {
    /// What a merge added.
    public struct MergeSummary: Sendable, Hashable {
        /// Submissions (with their checks and grades) copied in.
        public var submissions = 0
        /// Submissions already present (merged before), left alone.
        public var alreadyPresent = 0
        /// Students added.
        public var students = 0
    }

    /// Merges another gradebook (a shard of a batch graded elsewhere) into this one, in one
    /// transaction: students and assignments it lacks, its runs, every submission with its
    /// checks and grade (override included), collections, sightings, pinned files and its audit
    /// trail, plus one audit line saying what was merged.
    ///
    /// Idempotent: a submission already here (same student, assignment, commit, checks version
    /// and recording time) is not copied again, nor is an audit line already here, so merging
    /// the same shard twice changes nothing more. Refused, with nothing changed, when the shard
    /// graded an assignment with other checks than this gradebook's
    /// (``GradebookError/mergeConflict(path:assignmentID:theirs:ours:)``).
    ///
    /// Submission ids are assigned here in the shard's order, after every submission already
    /// here; so merge shards of the same batch, each student graded in one shard.
    ///
    /// - Parameter path: The gradebook file to merge from (opened read and migrated like any).
    /// - Returns: What was added.
    public func merge(from path: String) throws -> MergeSummary {
        // Opening it checks it is a gradebook of a schema this version knows.
        _ = try GradebookStore(path: path)
        return try Self.mapped {
            // ATTACH cannot run inside a transaction: attach, merge in one transaction, detach.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [path])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                var summary = MergeSummary()
                try db.inTransaction {
                    summary = try mergeAttached(db, path: path)
                    return .commit
                }
                return summary
            }
        }
    }

    private func mergeAttached(_ db: Database, path: String) throws -> MergeSummary {
        var summary = MergeSummary()
        // Checks versions must agree before anything is written.
        for row in try Row.fetchAll(db, sql: """
            SELECT s.id, s.checks_version AS theirs, m.checks_version AS ours
            FROM shard.assignments s JOIN main.assignments m ON m.id = s.id
            WHERE s.checks_version <> m.checks_version
            """)
        {
            throw GradebookError.mergeConflict(path: path, assignmentID: row["id"], theirs: row["theirs"], ours: row["ours"])
        }
        summary.students = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shard.students WHERE id NOT IN (SELECT id FROM main.students)") ?? 0
        try db.execute(sql: "INSERT OR IGNORE INTO main.students SELECT * FROM shard.students")
        try db.execute(sql: "INSERT OR IGNORE INTO main.assignments SELECT * FROM shard.assignments")

        // Runs: reuse one already merged (same assignment, start and starter), else copy.
        var runIDs: [Int64: Int64] = [:]
        for run in try Row.fetchAll(db, sql: "SELECT * FROM shard.runs ORDER BY id") {
            let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM main.runs WHERE assignment_id = ? AND started_at = ? AND started_by = ? AND checks_version = ?",
                arguments: [run["assignment_id"], run["started_at"], run["started_by"], run["checks_version"]])
            if let existing {
                runIDs[run["id"]] = existing
                continue
            }
            try db.execute(
                sql: "INSERT INTO main.runs (assignment_id, deadline, checks_version, started_at, started_by, finished_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [run["assignment_id"], run["deadline"], run["checks_version"], run["started_at"], run["started_by"], run["finished_at"], run["summary"]])
            runIDs[run["id"]] = db.lastInsertedRowID
        }

        // Submissions with their checks and grades.
        let submissionColumns = try db.columns(in: "submissions").map(\.name).filter { $0 != "id" }
        let checkColumns = try db.columns(in: "check_results").map(\.name).filter { $0 != "id" && $0 != "submission_id" }
        let gradeColumns = try db.columns(in: "grades").map(\.name).filter { $0 != "submission_id" }
        for submission in try Row.fetchAll(db, sql: "SELECT * FROM shard.submissions ORDER BY id") {
            let oldID: Int64 = submission["id"]
            let present = try Int64.fetchOne(db, sql: """
                SELECT id FROM main.submissions WHERE student_id = ? AND assignment_id = ? AND commit_id IS ? AND checks_version = ? AND recorded_at = ?
                """, arguments: [submission["student_id"], submission["assignment_id"], submission["commit_id"], submission["checks_version"], submission["recorded_at"]])
            if present != nil {
                summary.alreadyPresent += 1
                continue
            }
            var values = submissionColumns.map { submission[$0] as DatabaseValue }
            if let runIndex = submissionColumns.firstIndex(of: "run_id") {
                values[runIndex] = (runIDs[submission["run_id"]] ?? submission["run_id"]).databaseValue
            }
            try db.execute(
                sql: "INSERT INTO main.submissions (\(submissionColumns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))",
                arguments: StatementArguments(values))
            let newID = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO main.check_results (submission_id, \(checkColumns.joined(separator: ", "))) SELECT ?, \(checkColumns.joined(separator: ", ")) FROM shard.check_results WHERE submission_id = ?",
                arguments: [newID, oldID])
            try db.execute(
                sql: "INSERT INTO main.grades (submission_id, \(gradeColumns.joined(separator: ", "))) SELECT ?, \(gradeColumns.joined(separator: ", ")) FROM shard.grades WHERE submission_id = ?",
                arguments: [newID, oldID])
            summary.submissions += 1
        }

        // Deadline evidence: collections once each, the earliest sighting, every pinned file.
        try db.execute(sql: """
            INSERT INTO main.collections (student_id, assignment_id, repository, commit_id, commit_time, collected_at)
            SELECT student_id, assignment_id, repository, commit_id, commit_time, collected_at FROM shard.collections c
            WHERE NOT EXISTS (SELECT 1 FROM main.collections m WHERE m.student_id = c.student_id AND m.assignment_id = c.assignment_id
                AND m.commit_id = c.commit_id AND m.collected_at = c.collected_at)
            """)
        try db.execute(sql: """
            INSERT INTO main.sightings SELECT * FROM shard.sightings WHERE true
            ON CONFLICT (student_id, assignment_id, commit_id) DO UPDATE SET first_seen_at = MIN(first_seen_at, excluded.first_seen_at)
            """)
        try db.execute(sql: "INSERT OR IGNORE INTO main.pinned_files SELECT * FROM shard.pinned_files")

        // The shard's audit trail, once, then a line for the merge itself.
        try db.execute(sql: """
            INSERT INTO main.audit (at, actor, action, student_id, assignment_id, detail)
            SELECT at, actor, action, student_id, assignment_id, detail FROM shard.audit a
            WHERE NOT EXISTS (SELECT 1 FROM main.audit m WHERE m.at = a.at AND m.actor = a.actor AND m.action = a.action
                AND m.student_id IS a.student_id AND m.assignment_id IS a.assignment_id AND m.detail = a.detail)
            ORDER BY id
            """)
        try audit(
            db, .gradebookMerged,
            detail: "merged \((path as NSString).lastPathComponent): \(summary.submissions) submissions added, \(summary.alreadyPresent) already present, \(summary.students) students added")
        return summary
    }
}
