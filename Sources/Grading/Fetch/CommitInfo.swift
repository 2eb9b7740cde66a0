import Foundation

/// The commit chosen for grading: its id, its committer time and the first line of its message.
public struct CommitInfo: Sendable, Hashable, Codable {
    /// The full 40-character lowercase hex commit id.
    public var id: String
    /// The committer time the commit claims (set by the student's machine, so not proof of when).
    public var time: Date
    /// The first line of the commit message.
    public var summary: String

    /// Creates commit information.
    /// - Parameters:
    ///   - id: The hex commit id.
    ///   - time: The committer time.
    ///   - summary: The first line of the message.
    public init(id: String, time: Date, summary: String) {
        self.id = id
        self.time = time
        self.summary = summary
    }
}
