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
            let current = try latestForOverride(db, studentID: studentID, assignmentID: assignmentID)
            let submissionID = current.id
            var grade = current.grade
            grade.override = GradeOverride(score: score, reason: reason, by: by, at: Date())
            try grade.update(db)
            let before = current.grade.override.map { "override \(ScoreText.format($0.score))" } ?? "computed score"
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
            let current = try latestForOverride(db, studentID: studentID, assignmentID: assignmentID)
            let submissionID = current.id
            guard let override = current.grade.override else { return }
            var grade = current.grade
            grade.override = nil
            try grade.update(db)
            try audit(
                db, .overrideCleared, actor: by, studentID: studentID, assignmentID: assignmentID,
                detail: "override \(ScoreText.format(override.score)) removed from submission #\(submissionID)")
        }
    }

    private func latestForOverride(
        _ db: Database, studentID: String, assignmentID: String
    ) throws -> CurrentSubmission {
        try requireStudent(db, studentID)
        _ = try requireAssignment(db, assignmentID)
        guard let current = try currentSubmission(db, studentID: studentID, assignmentID: assignmentID) else {
            throw GradebookError.noSubmission(studentID: studentID, assignmentID: assignmentID)
        }
        return current
    }
}
