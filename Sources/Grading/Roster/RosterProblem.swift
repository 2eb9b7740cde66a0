/// A roster line that was skipped, and why, so a batch can grade everyone else.
public struct RosterProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 1-based line of the roster file where the problem record starts.
    public var line: Int
    /// What is wrong with the line and how to fix it.
    public var message: String

    /// Creates a problem report.
    /// - Parameters:
    ///   - line: The 1-based roster line.
    ///   - message: What is wrong and how to fix it.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
