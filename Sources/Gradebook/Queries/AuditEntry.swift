import Foundation

/// One line of the audit trail: what changed, who did it, and when.
public struct AuditEntry: Codable, Hashable, Sendable {
    /// Row id; higher is more recent.
    public var id: Int64
    /// When it happened.
    public var at: Date
    /// Who did it (the store's actor, or the `by` of an override).
    public var actor: String
    /// What kind of change it was.
    public var action: AuditAction
    /// The student concerned, if any.
    public var studentID: String?
    /// The assignment concerned, if any.
    public var assignmentID: String?
    /// A sentence with the particulars, for example old and new scores.
    public var detail: String
}

/// The kinds of change the audit trail records.
///
/// A string-backed struct rather than an enum, so that entries written by a later version
/// of the tool still read back.
public struct AuditAction: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The stored name, for example `submission.recorded`.
    public var rawValue: String

    /// Wraps a stored action name.
    ///
    /// - Parameter rawValue: The stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The stored name.
    public var description: String { rawValue }

    /// Another gradebook (a shard of a batch) was merged into this one.
    public static let gradebookMerged = AuditAction(rawValue: "gradebook.merged")
    /// A student was added or their name or repository changed.
    public static let studentUpserted = AuditAction(rawValue: "student.upserted")
    /// An assignment was added or its title, maximum or checks version changed.
    public static let assignmentUpserted = AuditAction(rawValue: "assignment.upserted")
    /// A batch run started.
    public static let runStarted = AuditAction(rawValue: "run.started")
    /// A batch run finished.
    public static let runFinished = AuditAction(rawValue: "run.finished")
    /// A submission, its checks and its grade were recorded.
    public static let submissionRecorded = AuditAction(rawValue: "submission.recorded")
    /// An instructor set an override.
    public static let overrideSet = AuditAction(rawValue: "override.set")
    /// An instructor removed an override.
    public static let overrideCleared = AuditAction(rawValue: "override.cleared")
    /// A student's branch tip was pinned by a collection.
    public static let commitCollected = AuditAction(rawValue: "commit.collected")
}
