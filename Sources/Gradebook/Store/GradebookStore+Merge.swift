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
        if let conflict = try ChecksVersionConflict.fetchOne(db, sql: """
            SELECT s.id, s.checks_version AS theirs, m.checks_version AS ours
            FROM shard.assignments s JOIN main.assignments m ON m.id = s.id
            WHERE s.checks_version <> m.checks_version
            """)
        {
            throw GradebookError.mergeConflict(path: path, assignmentID: conflict.id, theirs: conflict.theirs, ours: conflict.ours)
        }
        summary.students = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shard.students WHERE id NOT IN (SELECT id FROM main.students)") ?? 0
        try db.execute(sql: "INSERT OR IGNORE INTO main.students SELECT * FROM shard.students")
        try db.execute(sql: "INSERT OR IGNORE INTO main.assignments SELECT * FROM shard.assignments")

        // Runs: reuse one already merged (same assignment, start and starter), else copy.
        var runIDs: [Int64: Int64] = [:]
        for shardRun in try StoredRun.fetchAll(db, sql: "SELECT * FROM shard.runs ORDER BY id") {
            guard let oldID = shardRun.id else { continue }
            let existing = try StoredRun.fetchOne(
                db,
                sql: "SELECT * FROM main.runs WHERE assignment_id = ? AND started_at = ? AND started_by = ? AND checks_version = ?",
                arguments: [shardRun.assignmentID, shardRun.startedAt, shardRun.startedBy, shardRun.checksVersion])
            if let existing, let id = existing.id {
                runIDs[oldID] = id
                continue
            }
            var run = shardRun
            run.id = nil
            try run.insert(db)
            runIDs[oldID] = db.lastInsertedRowID
        }

        // Submissions with their checks and grades.
        for shardSubmission in try StoredSubmission.fetchAll(db, sql: "SELECT * FROM shard.submissions ORDER BY id") {
            guard let oldID = shardSubmission.id else { continue }
            let present = try Int64.fetchOne(db, sql: """
                SELECT id FROM main.submissions WHERE student_id = ? AND assignment_id = ? AND commit_id IS ? AND checks_version = ? AND recorded_at = ?
                """, arguments: [
                    shardSubmission.studentID, shardSubmission.assignmentID, shardSubmission.commitID,
                    shardSubmission.checksVersion, shardSubmission.recordedAt,
                ])
            if present != nil {
                summary.alreadyPresent += 1
                continue
            }
            var submission = shardSubmission
            submission.id = nil
            submission.runID = runIDs[shardSubmission.runID] ?? shardSubmission.runID
            try submission.insert(db)
            let newID = db.lastInsertedRowID
            for shardCheck in try StoredCheckResult.fetchAll(
                db, sql: "SELECT * FROM shard.check_results WHERE submission_id = ? ORDER BY position", arguments: [oldID])
            {
                var check = shardCheck
                check.id = nil
                check.submissionID = newID
                try check.insert(db)
            }
            if var grade = try StoredGrade.fetchOne(db, sql: "SELECT * FROM shard.grades WHERE submission_id = ?", arguments: [oldID]) {
                grade.submissionID = newID
                try grade.insert(db)
            }
            summary.submissions += 1
        }

        // Deadline evidence: collections once each, the earliest sighting, every pinned file.
        for shardCollection in try StoredCollection.fetchAll(db, sql: "SELECT * FROM shard.collections ORDER BY id") {
            let present = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM main.collections WHERE student_id = ? AND assignment_id = ? AND commit_id = ? AND collected_at = ?
                """, arguments: [
                    shardCollection.studentID, shardCollection.assignmentID, shardCollection.commitID, shardCollection.collectedAt,
                ]) ?? false
            if present { continue }
            var collection = shardCollection
            collection.id = nil
            try collection.insert(db)
        }
        try db.execute(sql: """
            INSERT INTO main.sightings SELECT * FROM shard.sightings WHERE true
            ON CONFLICT (student_id, assignment_id, commit_id) DO UPDATE SET first_seen_at = MIN(first_seen_at, excluded.first_seen_at)
            """)
        try db.execute(sql: "INSERT OR IGNORE INTO main.pinned_files SELECT * FROM shard.pinned_files")

        // The shard's audit trail, once, then a line for the merge itself.
        for shardEntry in try StoredAuditEntry.fetchAll(db, sql: "SELECT * FROM shard.audit ORDER BY id") {
            let present = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM main.audit WHERE at = ? AND actor = ? AND action = ? AND student_id IS ? AND assignment_id IS ? AND detail = ?
                """, arguments: [
                    shardEntry.at, shardEntry.actor, shardEntry.action.rawValue, shardEntry.studentID,
                    shardEntry.assignmentID, shardEntry.detail,
                ]) ?? false
            if present { continue }
            var entry = shardEntry
            entry.id = nil
            try entry.insert(db)
        }
        try audit(
            db, .gradebookMerged,
            detail: "merged \((path as NSString).lastPathComponent): \(summary.submissions) submissions added, \(summary.alreadyPresent) already present, \(summary.students) students added")
        return summary
    }
}

/// An assignment whose checks version differs between the shard and this gradebook.
private struct ChecksVersionConflict: Decodable, FetchableRecord {
    var id: String
    var theirs: String
    var ours: String
}
