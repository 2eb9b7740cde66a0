import Gradebook

/// What became of one student in a batch: the status the gradebook recorded for their
/// submission, or that nothing was graded this time and why.
///
/// Encoded (JSON) as one string: the recorded status's name (`graded`, `buildFailed`, …), or
/// `skipped` / `collected`.
public enum OutcomeStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The submission was graded (or failed to be) and the gradebook holds this status for it.
    case recorded(SubmissionStatus)
    /// Already graded at this commit with these checks; nothing was done (`--regrade` grades again).
    case skipped
    /// The commit was fetched and its files kept, without grading (`turnstile collect`).
    case collected

    /// The status's name, as printed and encoded.
    public var description: String {
        switch self {
        case .recorded(let status): status.rawValue
        case .skipped: "skipped"
        case .collected: "collected"
        }
    }

    /// The status named `text`, or nil.
    public init?(_ text: String) {
        switch text {
        case "skipped": self = .skipped
        case "collected": self = .collected
        default:
            guard let status = SubmissionStatus(rawValue: text) else { return nil }
            self = .recorded(status)
        }
    }

    /// The gradebook's status, when this outcome recorded one.
    public var recorded: SubmissionStatus? {
        if case .recorded(let status) = self { return status }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let status = OutcomeStatus(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown outcome status '\(text)'"))
        }
        self = status
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
