import Foundation
import GRDB

extension GradebookStore {
    /// Records one submission: the submission row, every check result, its grade and an audit
    /// entry, in one transaction. Either all of it is written or none of it.
    ///
    /// Always adds a new submission, even for a commit already graded with the same checks;
    /// the new one becomes the student's current grade. An instructor override in force on
    /// the previous submission is carried over (see ``GradebookStore``).
    ///
    /// - Parameters:
    ///   - s: The submission, with its checks in display order.
    ///   - runID: The batch run recording it; must be a run of the same assignment.
    /// - Throws: ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``,
    ///   ``GradebookError/unknownRun(_:)``, ``GradebookError/runAssignmentMismatch(runID:runAssignment:submissionAssignment:)``,
    ///   ``GradebookError/duplicateCheckID(checkID:studentID:assignmentID:)``,
    ///   ``GradebookError/invalidScore(field:value:)``, ``GradebookError/database(message:)``.
    public func recordSubmission(_ s: SubmissionRecord, runID: Int64) throws {
        try Self.validate(s.score, "score")
        try Self.validate(s.maxScore, "maximum score")
        try Self.validate(s.latePenalty, "late penalty")
        for check in s.checks {
            try Self.validate(check.points, "points of check \(check.checkID)")
            try Self.validate(check.maxPoints, "maximum points of check \(check.checkID)")
        }
        try write { db in
            try requireStudent(db, s.studentID)
            _ = try requireAssignment(db, s.assignmentID)
            guard
                let runAssignment = try String.fetchOne(
                    db, sql: "SELECT assignment_id FROM runs WHERE id = ?", arguments: [runID])
            else { throw GradebookError.unknownRun(runID) }
            guard runAssignment == s.assignmentID else {
                throw GradebookError.runAssignmentMismatch(
                    runID: runID, runAssignment: runAssignment, submissionAssignment: s.assignmentID)
            }
            let carried = try latestSubmissionRow(db, studentID: s.studentID, assignmentID: s.assignmentID)
                .flatMap { row in Self.override(from: row).map { (row["id"] as Int64, $0) } }
            let submissionID = try insertSubmission(db, s, runID: runID)
            for (position, check) in s.checks.enumerated() {
                try insertCheck(db, check, position: position, submissionID: submissionID, of: s)
            }
            let override = carried?.1
            try db.execute(
                sql: """
                    INSERT INTO grades (submission_id, score, max_score, late_penalty,
                                        override_score, override_reason, override_by, override_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    submissionID, s.score, s.maxScore, s.latePenalty,
                    override?.score, override?.reason, override?.by, override?.at,
                ])
            var detail =
                "submission #\(submissionID) in run #\(runID): commit \(s.commitID ?? "none"), checks \(s.checksVersion), "
                + "\(s.status.rawValue), \(ScoreText.format(s.score))/\(ScoreText.format(s.maxScore)), "
                + "late penalty \(ScoreText.format(s.latePenalty))"
            if let (fromID, override) = carried {
                detail += "; override \(ScoreText.format(override.score)) kept from submission #\(fromID)"
            }
            try audit(db, .submissionRecorded, studentID: s.studentID, assignmentID: s.assignmentID, detail: detail)
        }
    }

    /// Whether this commit of this student was already graded for this assignment with
    /// this checks version, so a resumed batch can skip it.
    ///
    /// Only submissions whose status ``SubmissionStatus/isFinal`` count: a fetch failure,
    /// sandbox problem or internal error is worth retrying. Submissions recorded without a
    /// commit never match.
    ///
    /// - Parameters:
    ///   - studentID: The student.
    ///   - assignmentID: The assignment.
    ///   - commitID: The commit about to be graded.
    ///   - checksVersion: The checks version about to be used.
    /// - Returns: `true` if a final submission for exactly this combination is recorded.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func isGraded(studentID: String, assignmentID: String, commitID: String, checksVersion: String) throws
        -> Bool
    {
        let final = SubmissionStatus.allCases.filter(\.isFinal).map(\.rawValue)
        return try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM submissions
                    WHERE student_id = ? AND assignment_id = ? AND commit_id = ? AND checks_version = ?
                      AND status IN (\(final.map { _ in "?" }.joined(separator: ",")))
                    LIMIT 1
                    """,
                arguments: StatementArguments([studentID, assignmentID, commitID, checksVersion] + final)) ?? false
        }
    }

    private func insertSubmission(_ db: Database, _ s: SubmissionRecord, runID: Int64) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO submissions (student_id, assignment_id, run_id, repository, commit_id, commit_time,
                    fetched_at, status, status_detail, checks_version, build_seconds, graded_at, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                s.studentID, s.assignmentID, runID, s.repository, s.commitID, s.commitTime, s.fetchedAt,
                s.status.rawValue, s.statusDetail, s.checksVersion, s.buildSeconds, s.gradedAt, Date(),
            ])
        return db.lastInsertedRowID
    }

    private func insertCheck(
        _ db: Database, _ c: CheckResultRecord, position: Int, submissionID: Int64, of s: SubmissionRecord
    ) throws {
        do {
            try db.execute(
                sql: """
                    INSERT INTO check_results (submission_id, position, check_id, title, outcome, points, max_points,
                        duration_seconds, seed, trace, message, visibility, student_output, property)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    submissionID, position, c.checkID, c.title, c.outcome.rawValue, c.points, c.maxPoints,
                    c.durationSeconds, c.seed.map(String.init), c.trace, c.message, c.visibility.rawValue,
                    c.studentOutput, c.property,
                ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw GradebookError.duplicateCheckID(
                checkID: c.checkID, studentID: s.studentID, assignmentID: s.assignmentID)
        }
    }
}
