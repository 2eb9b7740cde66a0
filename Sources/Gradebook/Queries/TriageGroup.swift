/// Submissions that failed the same way, for reading one explanation per group instead of one
/// per student (``GradebookStore/triage(assignmentID:)``).
public struct TriageGroup: Codable, Hashable, Sendable {
    /// What the group shares, one line each: a status other than graded
    /// (`status: buildFailed`), or a scored check lost with the property it broke
    /// (`no-lost-signal: deadlock`), in the checks' order.
    public var signature: [String]
    /// The students in the group, by id.
    public var students: [String]
    /// The first student's message for the first line of the signature, to read once.
    public var example: String
}
