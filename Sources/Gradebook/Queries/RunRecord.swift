import Foundation

/// A batch grading run: one pass over a roster for one assignment.
public struct RunRecord: Codable, Hashable, Sendable {
    /// Row id returned by ``GradebookStore/startRun(assignmentID:deadline:checksVersion:)``.
    public var id: Int64
    /// The assignment graded.
    public var assignmentID: String
    /// The deadline commits were judged against, if any.
    public var deadline: Date?
    /// Version of the hidden checks used.
    public var checksVersion: String
    /// When the run started.
    public var startedAt: Date
    /// When the run finished; `nil` if it is still going or was interrupted.
    public var finishedAt: Date?
    /// The summary passed to ``GradebookStore/finishRun(_:summary:)``.
    public var summary: String?
    /// Who started it.
    public var startedBy: String
}
