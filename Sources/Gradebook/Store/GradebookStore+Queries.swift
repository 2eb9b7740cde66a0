import Foundation
import GRDB

extension GradebookStore {
    /// Current grades: the current submission (the latest graded one, else the latest) of every
    /// student on every assignment (or on one), after late penalties and overrides. Students with no submission are absent.
    ///
    /// - Parameter assignmentID: Only this assignment, or every assignment if `nil`.
    /// - Returns: Rows ordered by assignment id, then student id.
    /// - Throws: ``GradebookError/unknownAssignment(_:)`` if `assignmentID` is not in the
    ///   gradebook; ``GradebookError/database(message:)``.
    public func grades(assignmentID: String?) throws -> [GradeRow] {
        try read { db in try currentSubmissions(db, assignmentID: assignmentID).map(\.gradeRow) }
    }

    /// The current submission (the latest graded one, else the latest) of a student on an
    /// assignment, with every check.
    ///
    /// - Parameters:
    ///   - studentID: The student.
    ///   - assignmentID: The assignment.
    /// - Returns: The detail, or `nil` if the student has no submission for the assignment.
    /// - Throws: ``GradebookError/unknownStudent(_:)`` or ``GradebookError/unknownAssignment(_:)``
    ///   for ids not in the gradebook (so a typo is not mistaken for "no submission");
    ///   ``GradebookError/database(message:)``.
    public func submissionDetail(studentID: String, assignmentID: String) throws -> SubmissionDetail? {
        try read { db in
            try requireStudent(db, studentID)
            _ = try requireAssignment(db, assignmentID)
            guard let current = try currentSubmission(db, studentID: studentID, assignmentID: assignmentID) else {
                return nil
            }
            return current.detail(checks: try checks(db, submissionIDs: [current.id])[current.id] ?? [])
        }
    }

    /// The most recent audit entries, newest first.
    ///
    /// - Parameter limit: How many entries at most.
    /// - Returns: Up to `limit` entries, newest first.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func auditTrail(limit: Int) throws -> [AuditEntry] {
        try read { db in
            try StoredAuditEntry.order(Column("id").desc).limit(max(0, limit)).fetchAll(db).map(\.entry)
        }
    }

    // MARK: - Shared by queries, exports and feedback

    /// The id of each student's *current* submission: the latest graded one, or the latest of any
    /// status when none was graded. A graded result is replaced only by another graded result; a
    /// later attempt that failed (fetch, build, the grader itself, an incomplete run) is kept in
    /// the history and the audit trail but does not take a grade away.
    static let currentIDs = "SELECT COALESCE(MAX(CASE WHEN status = 'graded' THEN id END), MAX(id)) FROM submissions"

    /// Joined rows of the current submission per student and assignment (``currentIDs``).
    func currentSubmissions(_ db: Database, assignmentID: String?) throws -> [CurrentSubmission] {
        guard let assignmentID else {
            return try CurrentSubmission.fetchAll(
                db,
                sql: CurrentSubmission.select + """

                    WHERE s.id IN (\(Self.currentIDs) GROUP BY student_id, assignment_id)
                    ORDER BY s.assignment_id, s.student_id
                    """)
        }
        _ = try requireAssignment(db, assignmentID)
        return try CurrentSubmission.fetchAll(
            db,
            sql: CurrentSubmission.select + """

                WHERE s.id IN (\(Self.currentIDs) WHERE assignment_id = ? GROUP BY student_id)
                ORDER BY s.student_id
                """,
            arguments: [assignmentID])
    }

    /// Every recorded submission of a student on an assignment, oldest first (regrades and
    /// failed attempts included), without check results: the history behind the current grade.
    public func submissionHistory(studentID: String, assignmentID: String) throws -> [SubmissionRecord] {
        try read { db in
            try CurrentSubmission.fetchAll(
                db,
                sql: CurrentSubmission.select + """

                    WHERE s.student_id = ? AND s.assignment_id = ?
                    ORDER BY s.id
                    """,
                arguments: [studentID, assignmentID]
            ).map { $0.detail(checks: []).submission }
        }
    }

    /// The joined row of one student's current submission on one assignment (``currentIDs``).
    func currentSubmission(_ db: Database, studentID: String, assignmentID: String) throws -> CurrentSubmission? {
        try CurrentSubmission.fetchOne(
            db,
            sql: CurrentSubmission.select + """

                WHERE s.student_id = ? AND s.assignment_id = ?
                ORDER BY s.status = 'graded' DESC, s.id DESC LIMIT 1
                """,
            arguments: [studentID, assignmentID])
    }

    /// Check results of the given submissions, keyed by submission id, in recorded order.
    func checks(_ db: Database, submissionIDs: [Int64]) throws -> [Int64: [CheckResultRecord]] {
        guard !submissionIDs.isEmpty else { return [:] }
        var result: [Int64: [CheckResultRecord]] = [:]
        for row in try StoredCheckResult
            .filter(submissionIDs.contains(Column("submission_id")))
            .order(Column("submission_id"), Column("position"))
            .fetchAll(db)
        {
            result[row.submissionID, default: []].append(row.record)
        }
        return result
    }
}
