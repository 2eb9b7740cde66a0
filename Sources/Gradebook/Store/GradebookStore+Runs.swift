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
            var run = StoredRun(
                assignmentID: assignmentID, deadline: deadline, checksVersion: checksVersion, startedAt: Date(),
                startedBy: actor)
            try run.insert(db)
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
            guard var run = try StoredRun.fetchOne(db, key: runID) else { throw GradebookError.unknownRun(runID) }
            run.finishedAt = Date()
            run.summary = summary
            try run.update(db)
            try audit(db, .runFinished, assignmentID: run.assignmentID, detail: "run #\(runID) finished: \(summary)")
        }
    }

    /// Batch runs, most recent first.
    ///
    /// - Parameter assignmentID: Only runs of this assignment, or all runs if `nil`.
    /// - Returns: The runs, newest first.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func runs(assignmentID: String? = nil) throws -> [RunRecord] {
        try read { db in
            var runs = StoredRun.order(Column("id").desc)
            if let assignmentID { runs = runs.filter(Column("assignment_id") == assignmentID) }
            return try runs.fetchAll(db).map(\.record)
        }
    }
}
