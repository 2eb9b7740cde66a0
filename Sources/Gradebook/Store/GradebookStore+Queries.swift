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
        try read { db in try latestRows(db, assignmentID: assignmentID).map(Self.gradeRow(from:)) }
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
            guard let row = try latestSubmissionRow(db, studentID: studentID, assignmentID: assignmentID) else {
                return nil
            }
            let id: Int64 = row["id"]
            return try Self.detail(from: row, checks: checks(db, submissionIDs: [id])[id] ?? [])
        }
    }

    /// The most recent audit entries, newest first.
    ///
    /// - Parameter limit: How many entries at most.
    /// - Returns: Up to `limit` entries, newest first.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func auditTrail(limit: Int) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [max(0, limit)]).map {
                AuditEntry(
                    id: $0["id"], at: $0["at"], actor: $0["actor"], action: AuditAction(rawValue: $0["action"]),
                    studentID: $0["student_id"], assignmentID: $0["assignment_id"], detail: $0["detail"])
            }
        }
    }

    // MARK: - Shared by queries, exports and feedback

    private static let latestSelect = """
        SELECT s.*, g.score, g.max_score, g.late_penalty, g.override_score, g.override_reason,
               g.override_by, g.override_at, st.name AS student_name, a.title AS assignment_title
        FROM submissions s
        JOIN grades g ON g.submission_id = s.id
        JOIN students st ON st.id = s.student_id
        JOIN assignments a ON a.id = s.assignment_id
        """

    /// The id of each student's *current* submission: the latest graded one, or the latest of any
    /// status when none was graded. A graded result is replaced only by another graded result; a
    /// later attempt that failed (fetch, build, the grader itself, an incomplete run) is kept in
    /// the history and the audit trail but does not take a grade away.
    static let currentIDs = "SELECT COALESCE(MAX(CASE WHEN status = 'graded' THEN id END), MAX(id)) FROM submissions"

    /// Joined rows of the current submission per student and assignment (``currentIDs``).
    func latestRows(_ db: Database, assignmentID: String?) throws -> [Row] {
        guard let assignmentID else {
            return try Row.fetchAll(
                db,
                sql: Self.latestSelect + """

                    WHERE s.id IN (\(Self.currentIDs) GROUP BY student_id, assignment_id)
                    ORDER BY s.assignment_id, s.student_id
                    """)
        }
        _ = try requireAssignment(db, assignmentID)
        return try Row.fetchAll(
            db,
            sql: Self.latestSelect + """

                WHERE s.id IN (\(Self.currentIDs) WHERE assignment_id = ? GROUP BY student_id)
                ORDER BY s.student_id
                """,
            arguments: [assignmentID])
    }

    /// Every recorded submission of a student on an assignment, oldest first (regrades and
    /// failed attempts included), without check results: the history behind the current grade.
    public func submissionHistory(studentID: String, assignmentID: String) throws -> [SubmissionRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: Self.latestSelect + """

                    WHERE s.student_id = ? AND s.assignment_id = ?
                    ORDER BY s.id
                    """,
                arguments: [studentID, assignmentID]
            ).map { try Self.detail(from: $0, checks: []).submission }
        }
    }

    /// The joined row of one student's current submission on one assignment (``currentIDs``).
    func latestSubmissionRow(_ db: Database, studentID: String, assignmentID: String) throws -> Row? {
        try Row.fetchOne(
            db,
            sql: Self.latestSelect + """

                WHERE s.student_id = ? AND s.assignment_id = ?
                ORDER BY s.status = 'graded' DESC, s.id DESC LIMIT 1
                """,
            arguments: [studentID, assignmentID])
    }

    /// Check results of the given submissions, keyed by submission id, in recorded order.
    func checks(_ db: Database, submissionIDs: [Int64]) throws -> [Int64: [CheckResultRecord]] {
        guard !submissionIDs.isEmpty else { return [:] }
        let placeholders = submissionIDs.map { _ in "?" }.joined(separator: ",")
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT * FROM check_results WHERE submission_id IN (\(placeholders)) ORDER BY submission_id, position",
            arguments: StatementArguments(submissionIDs))
        var result: [Int64: [CheckResultRecord]] = [:]
        for row in rows {
            let seedText: String? = row["seed"]
            let check = CheckResultRecord(
                checkID: row["check_id"], title: row["title"],
                outcome: try Self.decode(CheckOutcome.self, row["outcome"]),
                points: row["points"], maxPoints: row["max_points"], durationSeconds: row["duration_seconds"],
                seed: seedText.flatMap { UInt64($0) }, trace: row["trace"], message: row["message"],
                visibility: try Self.decode(CheckVisibility.self, row["visibility"]), studentOutput: row["student_output"],
                property: row["property"])
            result[row["submission_id"], default: []].append(check)
        }
        return result
    }

    static func override(from row: Row) -> GradeOverride? {
        guard let score: Double = row["override_score"] else { return nil }
        return GradeOverride(
            score: score, reason: row["override_reason"] ?? "", by: row["override_by"] ?? "",
            at: row["override_at"] ?? Date())
    }

    static func gradeRow(from row: Row) throws -> GradeRow {
        let override = override(from: row)
        let raw: Double = row["score"]
        let penalty: Double = row["late_penalty"]
        return GradeRow(
            studentID: row["student_id"], name: row["student_name"], assignmentID: row["assignment_id"],
            score: GradeRow.finalScore(rawScore: raw, latePenalty: penalty, override: override?.score),
            maxScore: row["max_score"], commitID: row["commit_id"],
            status: try decode(SubmissionStatus.self, row["status"]), overridden: override != nil,
            rawScore: raw, latePenalty: penalty, override: override, checksVersion: row["checks_version"],
            submissionID: row["id"], gradedAt: row["graded_at"])
    }

    static func detail(from row: Row, checks: [CheckResultRecord]) throws -> SubmissionDetail {
        let submission = SubmissionRecord(
            studentID: row["student_id"], assignmentID: row["assignment_id"], repository: row["repository"],
            commitID: row["commit_id"], commitTime: row["commit_time"], fetchedAt: row["fetched_at"],
            status: try decode(SubmissionStatus.self, row["status"]), statusDetail: row["status_detail"],
            checks: checks, score: row["score"], maxScore: row["max_score"], latePenalty: row["late_penalty"],
            gradedAt: row["graded_at"], checksVersion: row["checks_version"], buildSeconds: row["build_seconds"])
        return SubmissionDetail(
            submissionID: row["id"], runID: row["run_id"], studentName: row["student_name"],
            assignmentTitle: row["assignment_title"], submission: submission, override: override(from: row))
    }

    private static func decode<T: RawRepresentable<String>>(_ type: T.Type, _ raw: String) throws -> T {
        guard let value = T(rawValue: raw) else {
            throw GradebookError.database(message: "unknown \(T.self) value \"\(raw)\" (written by a newer Turnstile?)")
        }
        return value
    }
}
