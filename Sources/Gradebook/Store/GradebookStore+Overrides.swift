import Foundation
import GRDB

extension GradebookStore {
    /// Sets the score of a student on an assignment by hand, replacing the computed score.
    ///
    /// The override is stored on the latest submission and carried over to every later one
    /// (regrades do not undo it) until ``clearOverride(studentID:assignmentID:by:)``. The
    /// late penalty is not applied to it. Setting it again replaces it; both are audited.
    ///
    /// - Parameters:
    ///   - studentID: The student.
    ///   - assignmentID: The assignment.
    ///   - score: The score to report. May exceed the maximum (bonus points).
    ///   - reason: Why, for the audit trail and the student's feedback.
    ///   - by: Who decides (the instructor's name); recorded as the audit actor.
    /// - Throws: ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``,
    ///   ``GradebookError/noSubmission(studentID:assignmentID:)`` if nothing was graded yet,
    ///   ``GradebookError/invalidScore(field:value:)``, ``GradebookError/database(message:)``.
    public func setOverride(studentID: String, assignmentID: String, score: Double, reason: String, by: String) throws {
        try Self.validate(score, "override score")
        try write { db in
            let (submissionID, current) = try latestForOverride(db, studentID: studentID, assignmentID: assignmentID)
            try db.execute(
                sql: """
                    UPDATE grades SET override_score = ?, override_reason = ?, override_by = ?, override_at = ?
                    WHERE submission_id = ?
                    """,
                arguments: [score, reason, by, Date(), submissionID])
            let before = current.map { "override \(ScoreText.format($0.score))" } ?? "computed score"
            try audit(
                db, .overrideSet, actor: by, studentID: studentID, assignmentID: assignmentID,
                detail: "\(before) → override \(ScoreText.format(score)) on submission #\(submissionID): \(reason)")
        }
    }

    /// Removes the override of a student on an assignment, returning to the computed score.
    ///
    /// Earlier submissions keep the override they had, as history. Does nothing (and writes
    /// no audit entry) if no override is in force.
    ///
    /// - Parameters:
    ///   - studentID: The student.
    ///   - assignmentID: The assignment.
    ///   - by: Who decides; recorded as the audit actor.
    /// - Throws: ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``,
    ///   ``GradebookError/noSubmission(studentID:assignmentID:)``, ``GradebookError/database(message:)``.
    public func clearOverride(studentID: String, assignmentID: String, by: String) throws {
        try write { db in
            let (submissionID, current) = try latestForOverride(db, studentID: studentID, assignmentID: assignmentID)
            guard let current else { return }
            try db.execute(
                sql: """
                    UPDATE grades SET override_score = NULL, override_reason = NULL, override_by = NULL,
                        override_at = NULL
                    WHERE submission_id = ?
                    """,
                arguments: [submissionID])
            try audit(
                db, .overrideCleared, actor: by, studentID: studentID, assignmentID: assignmentID,
                detail: "override \(ScoreText.format(current.score)) removed from submission #\(submissionID)")
        }
    }

    private func latestForOverride(
        _ db: Database, studentID: String, assignmentID: String
    ) throws -> (Int64, GradeOverride?) {
        try requireStudent(db, studentID)
        _ = try requireAssignment(db, assignmentID)
        guard let row = try latestSubmissionRow(db, studentID: studentID, assignmentID: assignmentID) else {
            throw GradebookError.noSubmission(studentID: studentID, assignmentID: assignmentID)
        }
        return (row["id"], Self.override(from: row))
    }
}
