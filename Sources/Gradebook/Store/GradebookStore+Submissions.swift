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
            let carried = try currentSubmission(db, studentID: s.studentID, assignmentID: s.assignmentID)
                .flatMap { current in current.grade.override.map { (current.id, $0) } }
            var submission = StoredSubmission(s, runID: runID, recordedAt: Date())
            try submission.insert(db)
            let submissionID = db.lastInsertedRowID
            for (position, check) in s.checks.enumerated() {
                try insertCheck(db, check, position: position, submissionID: submissionID, of: s)
            }
            try StoredGrade(s, submissionID: submissionID, override: carried?.1).insert(db)
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

    private func insertCheck(
        _ db: Database, _ c: CheckResultRecord, position: Int, submissionID: Int64, of s: SubmissionRecord
    ) throws {
        do {
            var row = StoredCheckResult(c, position: position, submissionID: submissionID)
            try row.insert(db)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw GradebookError.duplicateCheckID(
                checkID: c.checkID, studentID: s.studentID, assignmentID: s.assignmentID)
        }
    }
}
