/// A student on the course roster, as the gradebook stores them.
///
/// The `id` is the key every other table refers to; pick something stable such as the
/// university login. Upserting the same `id` again updates the name and repository.
public struct StudentRecord: Codable, Hashable, Sendable {
    /// Stable identifier (for example the university login). Never empty.
    public var id: String
    /// Full name as it should appear in exports and feedback.
    public var name: String
    /// Where the student's work is fetched from (a git URL or local path).
    public var repository: String
    /// How learning-management systems know the student (optional roster columns).
    public var identity: LMSIdentity

    /// Creates a student record.
    ///
    /// - Parameters:
    ///   - id: Stable identifier, for example the university login.
    ///   - name: Full name as it should appear in exports.
    ///   - repository: Git URL or path of the student's repository.
    ///   - identity: How LMSs know the student (default: none beyond the id).
    public init(id: String, name: String, repository: String, identity: LMSIdentity = LMSIdentity()) {
        self.id = id
        self.name = name
        self.repository = repository
        self.identity = identity
    }
}
