import Foundation

/// Why a roster could not be read at all.
public enum RosterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first non-blank line is not a usable header; `found` is what was there (nil: empty file).
    case invalidHeader(found: String?, reason: String)

    /// What went wrong and the header that is expected.
    public var description: String {
        switch self {
        case .invalidHeader(let found, let reason):
            let seen = found.map { "found \"\($0)\"" } ?? "the roster is empty"
            return "The roster has no usable header line (\(seen)): \(reason). "
                + "The first line must be a CSV header naming the columns "
                + "\"\(Roster.expectedHeader)\" (any order, extra columns allowed)."
        }
    }
}

extension RosterError: LocalizedError {
    /// Same as ``description``.
    public var errorDescription: String? { description }
}
