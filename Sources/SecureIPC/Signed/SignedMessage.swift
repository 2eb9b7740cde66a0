import Crypto

/// A payload with an Ed25519 signature over a canonical transcript (session id, direction,
/// sequence number, payload) that anyone holding only the sender's signing public key can check,
/// long after the channel is gone.
///
/// ## Deniability versus non-repudiation
/// A Noise channel authenticates with Diffie-Hellman, not signatures: a record's tag proves to
/// the *receiver* that the peer sent it, but the receiver could have computed the same tag
/// itself (both hold the key), so a transcript convinces no third party. That is deniability,
/// chosen on purpose: a leaked log does not prove who said what. Non-repudiation needs the
/// opposite: a signature only the sender can make, kept as evidence. Signing each message gives
/// that up for the messages signed: anyone who obtains them can prove the sender wrote them.
/// Sign only what must be provable (orders, receipts), and keep using plain records elsewhere.
///
/// The transcript binds the session id (the handshake hash), so a signed message cannot be
/// replayed into another session; the direction, so it cannot be reflected; and the sequence
/// number, so it cannot be reordered or dropped unnoticed by a verifier holding the sequence.
public struct SignedMessage: Sendable, Hashable {
    /// Which way a message travelled within a session.
    public enum Direction: UInt8, Sendable {
        /// Sent by the handshake initiator.
        case initiatorToResponder = 0
        /// Sent by the handshake responder.
        case responderToInitiator = 1
    }

    /// The session this was sent in (the channel's handshake hash, 32 bytes).
    public let sessionID: [UInt8]
    /// Sending direction.
    public let direction: Direction
    /// Position in the sender's stream of signed messages, from 0.
    public let sequenceNumber: UInt64
    /// The application data.
    public let payload: [UInt8]
    /// Ed25519 signature over ``transcript``.
    public let signature: [UInt8]

    static let domain = Array("turnstile.signed-message.v1".utf8)

    /// The exact bytes signed: domain label, then length-prefixed session id, direction byte,
    /// big-endian sequence number and length-prefixed payload. Unambiguous by construction.
    public var transcript: [UInt8] {
        Self.transcript(sessionID: sessionID, direction: direction, sequenceNumber: sequenceNumber, payload: payload)
    }

    static func transcript(sessionID: [UInt8], direction: Direction, sequenceNumber: UInt64, payload: [UInt8]) -> [UInt8] {
        var bytes = domain
        bytes.append(UInt8(sessionID.count))
        bytes += sessionID
        bytes.append(direction.rawValue)
        bytes += bigEndian(sequenceNumber, width: 8)
        bytes += bigEndian(UInt64(payload.count), width: 8)
        bytes += payload
        return bytes
    }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - $0))) }
    }

    /// Signs a payload.
    /// - Parameters:
    ///   - payload: the data.
    ///   - sessionID: the session's handshake hash (at most 255 bytes).
    ///   - direction: the sending direction.
    ///   - sequenceNumber: the sender's counter.
    ///   - key: the sender's Ed25519 signing key.
    /// - Throws: an error from swift-crypto if signing fails.
    public init(
        signing payload: [UInt8], sessionID: [UInt8], direction: Direction, sequenceNumber: UInt64,
        with key: Curve25519.Signing.PrivateKey
    ) throws {
        precondition(sessionID.count <= 255, "session id longer than 255 bytes")
        self.sessionID = sessionID
        self.direction = direction
        self.sequenceNumber = sequenceNumber
        self.payload = payload
        signature = Array(try key.signature(for: Self.transcript(sessionID: sessionID, direction: direction, sequenceNumber: sequenceNumber, payload: payload)))
    }

    init(sessionID: [UInt8], direction: Direction, sequenceNumber: UInt64, payload: [UInt8], signature: [UInt8]) {
        self.sessionID = sessionID
        self.direction = direction
        self.sequenceNumber = sequenceNumber
        self.payload = payload
        self.signature = signature
    }

    /// Whether `key` signed exactly this session id, direction, sequence number and payload.
    /// This is the check a third party runs on stored evidence.
    public func isValidSignature(by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: transcript)
    }

    /// A self-contained encoding for storing or forwarding as evidence.
    public func serialized() -> [UInt8] {
        var bytes = [UInt8(sessionID.count)] + sessionID + [direction.rawValue]
        bytes += Self.bigEndian(sequenceNumber, width: 8)
        bytes += signature
        bytes += payload
        return bytes
    }

    /// Decodes ``serialized()`` output (does not verify; call ``isValidSignature(by:)``).
    /// - Throws: ``SignedMessageError/malformed`` when the bytes are too short or inconsistent.
    public init(serialized bytes: [UInt8]) throws {
        guard let idLength = bytes.first.map(Int.init), bytes.count >= 1 + idLength + 1 + 8 + 64,
            let direction = Direction(rawValue: bytes[1 + idLength])
        else { throw SignedMessageError.malformed }
        var offset = 1 + idLength + 1
        let sequence = bytes[offset..<(offset + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        offset += 8
        self.init(
            sessionID: Array(bytes[1..<(1 + idLength)]), direction: direction, sequenceNumber: sequence,
            payload: Array(bytes[(offset + 64)...]), signature: Array(bytes[offset..<(offset + 64)]))
    }
}
