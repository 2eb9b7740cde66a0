import Foundation
import GRDB

extension GradebookStore {
    /// Starts a batch grading run for one assignment and returns its id.
    ///
    /// Submissions are recorded under this id. A run that never finishes (the grader was
    /// interrupted) stays open; resume with a new run and skip what
    /// ``isGraded(studentID:assignmentID:commitID:checksVersion:)`` reports as done.
    ///
    /// - Parameters:
    ///   - assignmentID: The assignment to grade; must already be in the gradebook.
    ///   - deadline: The deadline commits are judged against, if any.
    ///   - checksVersion: Version of the hidden checks this run uses.
    /// - Returns: The run id.
    /// - Throws: ``GradebookError/unknownAssignment(_:)``; ``GradebookError/database(message:)``.
    public func startRun(assignmentID: String, deadline: Date?, checksVersion: String) throws -> Int64 {
        try write { db in
            _ = try requireAssignment(db, assignmentID)
            try db.execute(
                sql: """
                    INSERT INTO runs (assignment_id, deadline, checks_version, started_at, started_by)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [assignmentID, deadline, checksVersion, Date(), actor])
            let id = db.lastInsertedRowID
            let deadlineText = deadline.map { "deadline \(DateText.format($0))" } ?? "no deadline"
            try audit(
                db, .runStarted, assignmentID: assignmentID,
                detail: "run #\(id) started, checks \(checksVersion), \(deadlineText)")
            return id
        }
    }

    /// Marks a run finished and stores its summary (for example "38 graded, 2 build failures").
    ///
    /// Finishing a run twice replaces the summary and the finish time.
    ///
    /// - Parameters:
    ///   - runID: The id returned by ``startRun(assignmentID:deadline:checksVersion:)``.
    ///   - summary: A sentence for the instructor.
    /// - Throws: ``GradebookError/unknownRun(_:)``; ``GradebookError/database(message:)``.
    public func finishRun(_ runID: Int64, summary: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?", arguments: [Date(), summary, runID])
            guard db.changesCount == 1 else { throw GradebookError.unknownRun(runID) }
            let assignmentID = try String.fetchOne(
                db, sql: "SELECT assignment_id FROM runs WHERE id = ?", arguments: [runID])
            try audit(db, .runFinished, assignmentID: assignmentID, detail: "run #\(runID) finished: \(summary)")
        }
    }

    /// Batch runs, most recent first.
    ///
    /// - Parameter assignmentID: Only runs of this assignment, or all runs if `nil`.
    /// - Returns: The runs, newest first.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func runs(assignmentID: String? = nil) throws -> [RunRecord] {
        try read { db in
            let rows: [Row]
            if let assignmentID {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs WHERE assignment_id = ? ORDER BY id DESC", arguments: [assignmentID])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC")
            }
            return rows.map { row in
                RunRecord(
                    id: row["id"], assignmentID: row["assignment_id"], deadline: row["deadline"],
                    checksVersion: row["checks_version"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                    summary: row["summary"], startedBy: row["started_by"])
            }
        }
    }
}
