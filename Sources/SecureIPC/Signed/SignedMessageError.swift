import Foundation

/// Why a signed message was refused.
public enum SignedMessageError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The bytes are not a serialized ``SignedMessage``.
    case malformed
    /// The signature does not verify under the expected signing key.
    case invalidSignature
    /// The message names a different session (replayed from another channel).
    case wrongSession
    /// The message claims the receiver's own direction (reflected back).
    case wrongDirection
    /// The sequence number is not the next expected one (replayed, reordered or dropped).
    case unexpectedSequence(expected: UInt64, got: UInt64)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .malformed: "signed message is malformed"
        case .invalidSignature: "signature does not verify under the sender's key; the message is forged or altered"
        case .wrongSession: "signed message belongs to another session; it was replayed"
        case .wrongDirection: "signed message travelled the wrong way; it was reflected"
        case .unexpectedSequence(let expected, let got): "expected signed message #\(expected), got #\(got): replayed, reordered or dropped"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
