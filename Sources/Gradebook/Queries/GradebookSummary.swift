/// Row counts and schema state of a gradebook, for an `info` command and for tests.
public struct GradebookSummary: Codable, Hashable, Sendable {
    /// Number of students.
    public var students: Int
    /// Number of assignments.
    public var assignments: Int
    /// Number of batch runs.
    public var runs: Int
    /// Number of submissions recorded (every regrade counts).
    public var submissions: Int
    /// Number of check results recorded.
    public var checkResults: Int
    /// Number of grades recorded (one per submission).
    public var grades: Int
    /// Number of audit entries.
    public var auditEntries: Int
    /// Names of the schema migrations applied, in order.
    public var appliedMigrations: [String]
}
