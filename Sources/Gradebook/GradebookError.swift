import Foundation

/// What can go wrong with a gradebook, each with a description that says what to do.
public enum GradebookError: Error, Hashable, Sendable, LocalizedError, CustomStringConvertible {
    /// The file could not be opened or created (missing directory, permissions, disk full).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a Turnstile gradebook (another SQLite database, or not SQLite).
    case notAGradebook(path: String)
    /// The file was migrated by a newer version of Turnstile; this version must not write to it.
    case newerSchema(path: String, unknownMigrations: [String])
    /// No student with this id has been added.
    case unknownStudent(String)
    /// No assignment with this id has been added.
    case unknownAssignment(String)
    /// No batch run with this id exists.
    case unknownRun(Int64)
    /// A submission was recorded under a run for a different assignment.
    case runAssignmentMismatch(runID: Int64, runAssignment: String, submissionAssignment: String)
    /// Two check results of one submission share a check id; nothing of the submission was written.
    case duplicateCheckID(checkID: String, studentID: String, assignmentID: String)
    /// The student has no recorded submission for the assignment yet.
    case noSubmission(studentID: String, assignmentID: String)
    /// A score, maximum or penalty is not a finite, non-negative number.
    case invalidScore(field: String, value: Double)
    /// SQLite reported an error the gradebook does not handle itself.
    case database(message: String)
    /// A gradebook to merge graded an assignment with other checks than this one.
    case mergeConflict(path: String, assignmentID: String, theirs: String, ours: String)

    /// What happened and what to do about it.
    public var errorDescription: String? { description }

    /// What happened and what to do about it.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "Cannot open the gradebook at \(path): \(reason). Check that the directory exists and is writable."
        case .notAGradebook(let path):
            "\(path) is not a Turnstile gradebook. Pass the path of an existing gradebook, or a new path to create one."
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer version of Turnstile (unknown migrations: "
                + "\(unknown.joined(separator: ", "))). Upgrade Turnstile before using this gradebook."
        case .unknownStudent(let id):
            "No student \"\(id)\" in the gradebook. Import the roster (or add the student) first, and check the spelling."
        case .unknownAssignment(let id):
            "No assignment \"\(id)\" in the gradebook. Add the assignment first, and check the spelling."
        case .unknownRun(let id):
            "No grading run #\(id) in the gradebook. Start a run first and record submissions under the id it returns."
        case .runAssignmentMismatch(let runID, let runAssignment, let submissionAssignment):
            "Run #\(runID) grades \"\(runAssignment)\" but the submission is for \"\(submissionAssignment)\". "
                + "Start a separate run for each assignment."
        case .duplicateCheckID(let checkID, let studentID, let assignmentID):
            "Check \"\(checkID)\" appears twice in the submission of \(studentID) for \(assignmentID); nothing was "
                + "recorded. Give every check in the assignment manifest a unique id."
        case .noSubmission(let studentID, let assignmentID):
            "\(studentID) has no recorded submission for \(assignmentID). Grade the assignment for this student first."
        case .invalidScore(let field, let value):
            "The \(field) \(value) is not a finite, non-negative number. Fix the rubric or the value given."
        case .mergeConflict(let path, let assignmentID, let theirs, let ours):
            "\(path) graded \(assignmentID) with checks \(theirs), but this gradebook has \(ours); nothing was merged. "
                + "Regrade that shard with the same checks (the same course checkout) and merge again."
        case .database(let message):
            "The gradebook database reported an error: \(message). Check free disk space and permissions; "
                + "if it persists, keep a copy of the file and report the problem."
        }
    }
}
