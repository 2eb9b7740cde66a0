import Foundation

/// Why a handshake, a record or a channel was rejected.
///
/// Every attack the test suite mounts (a flipped byte, a replay, a reordered, dropped or
/// reflected record, truncation, data after the end of the stream, a substituted static key,
/// a low-order point) ends in one of these cases, never in a crash or a silent success.
public indirect enum SecureChannelError: Error, Equatable, Sendable {
    /// A handshake message had the wrong length for its place in the pattern.
    case malformedHandshakeMessage(expectedAtLeast: Int, got: Int)
    /// A handshake step was called out of turn (for example writing when it is the peer's turn).
    case handshakeOutOfOrder
    /// The AEAD tag did not verify: the bytes were modified, replayed, reordered, reflected,
    /// or a record was dropped before this one.
    case authenticationFailed
    /// A Diffie-Hellman result was all zeros: the peer sent a low-order X25519 point.
    case lowOrderPoint
    /// A public key was not 32 bytes.
    case invalidPublicKey
    /// The peer proved possession of a static key that the trust policy rejected.
    case untrustedPeer(publicKeyHex: String)
    /// The 64-bit nonce counter reached its reserved last value; the channel refuses to wrap.
    case nonceExhausted
    /// A message exceeded the configured maximum size.
    case messageTooLarge(size: Int, limit: Int)
    /// The transport ended before the peer's end-of-stream record: the stream was truncated.
    case truncated
    /// A message arrived after the peer's end-of-stream record.
    case dataAfterEndOfStream
    /// A decrypted record carried an unknown type byte or was empty.
    case malformedRecord
    /// `send` or `rekey` was called after `finish()`.
    case sendAfterFinish
    /// `rekey` on a channel with the plain record layer, which has no in-band rekey.
    case rekeyNeedsTypedRecords
    /// An earlier error broke the channel; failure is sticky and every later call reports it.
    case channelBroken(cause: SecureChannelError)
    /// The underlying transport failed.
    case transport(description: String)
}

extension SecureChannelError: LocalizedError, CustomStringConvertible {
    /// What was rejected and what to do about it, in one sentence.
    public var description: String {
        switch self {
        case .malformedHandshakeMessage(let expected, let got):
            "handshake message too short (\(got) bytes, need at least \(expected)); the peer does not speak Noise_XX_25519_ChaChaPoly_SHA256 or the message was cut"
        case .handshakeOutOfOrder:
            "handshake step called out of turn; follow the XX pattern (initiator writes first)"
        case .authenticationFailed:
            "record failed authentication: it was modified, replayed, reordered, reflected or one was dropped; discard the channel"
        case .lowOrderPoint:
            "peer sent a low-order X25519 point (all-zero shared secret); the peer is malicious or broken"
        case .invalidPublicKey:
            "public key is not 32 bytes; check the key file (64 hex characters)"
        case .untrustedPeer(let key):
            "peer static key \(key) is not trusted; pin it or accept it in the trust callback if it is genuine"
        case .nonceExhausted:
            "nonce counter exhausted; rekey earlier or open a new channel"
        case .messageTooLarge(let size, let limit):
            "message of \(size) bytes exceeds the limit of \(limit); split it into smaller records"
        case .truncated:
            "transport closed before end-of-stream: the stream was truncated"
        case .dataAfterEndOfStream:
            "data arrived after the peer's end-of-stream record; treat it as an attack"
        case .malformedRecord:
            "record had an unknown or missing type byte"
        case .sendAfterFinish:
            "cannot send after finish(); open a new channel"
        case .rekeyNeedsTypedRecords:
            "plain Noise transport messages cannot announce a rekey to the peer; use the typed record layer to rekey"
        case .channelBroken(let cause):
            "channel is broken by an earlier error (\(cause)); open a new channel"
        case .transport(let description):
            "transport failed: \(description)"
        }
    }

    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
