/// Where in the source a runtime operation was called from.
///
/// Every runtime operation takes `file: StaticString = #fileID, line: UInt = #line`, so a
/// trace from the controlled engine can point at the student's own line.
public struct SourceLocation: Sendable, CustomStringConvertible {
    /// The `#fileID` of the caller (`Module/File.swift`).
    public var file: StaticString
    /// The caller's line.
    public var line: UInt

    /// Creates a location.
    public init(file: StaticString, line: UInt) {
        self.file = file
        self.line = line
    }

    /// `File.swift:12`, without the module prefix.
    public var description: String {
        let path = file.description
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return "\(name):\(line)"
    }
}
