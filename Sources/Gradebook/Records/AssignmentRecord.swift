/// An assignment known to the gradebook.
public struct AssignmentRecord: Codable, Hashable, Sendable {
    /// Stable identifier (the assignment folder name, for example `peterson`).
    public var id: String
    /// Human title used as the column name in LMS exports.
    public var title: String
    /// Points a perfect submission earns; LMS exports announce this maximum.
    public var maxScore: Double
    /// Version of the hidden checks currently in force for this assignment.
    public var checksVersion: String

    /// Creates an assignment record.
    ///
    /// - Parameters:
    ///   - id: Stable identifier, for example the assignment folder name.
    ///   - title: Human title used as the LMS column name.
    ///   - maxScore: Points a perfect submission earns. Must be finite and not negative.
    ///   - checksVersion: Version of the hidden checks currently in force.
    public init(id: String, title: String, maxScore: Double, checksVersion: String) {
        self.id = id
        self.title = title
        self.maxScore = maxScore
        self.checksVersion = checksVersion
    }
}
