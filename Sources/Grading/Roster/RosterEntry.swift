import Gradebook

/// One student in a roster: who they are and where their repository lives.
public struct RosterEntry: Sendable, Hashable, Codable {
    /// The student's identifier, unique within the roster (surrounding blanks removed).
    public var studentID: String
    /// The student's display name (may be empty).
    public var name: String
    /// The repository to fetch: a URL (`https://…`, `file://…`, `ssh://…`) or a local path.
    public var repository: String
    /// The 1-based line of the roster file this entry was read from.
    public var line: Int
    /// How LMSs know the student (the roster's optional identity columns).
    public var identity: LMSIdentity

    /// Creates an entry.
    /// - Parameters:
    ///   - studentID: The student's identifier.
    ///   - name: The student's display name.
    ///   - repository: The repository URL or path.
    ///   - line: The roster line the entry came from (0 when made by hand).
    ///   - identity: How LMSs know the student (default: none beyond the id).
    public init(studentID: String, name: String, repository: String, line: Int = 0, identity: LMSIdentity = LMSIdentity()) {
        self.studentID = studentID
        self.name = name
        self.repository = repository
        self.line = line
        self.identity = identity
    }
}
