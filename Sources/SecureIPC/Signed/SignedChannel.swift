import Foundation
import Crypto

/// Non-repudiable messaging on top of a ``SecureChannel``: each payload travels as a
/// ``SignedMessage`` signed with the sender's Ed25519 key and checked by the receiver, who can
/// keep it as evidence a third party can verify with only the sender's public key.
///
/// The channel still gives confidentiality and integrity; the signature adds proof of origin.
/// See ``SignedMessage`` for the deniability trade-off. Thread safety: as ``SecureChannel``, one
/// sender and one receiver thread.
public final class SignedChannel: @unchecked Sendable {
    // Safe to share: the two counters are each touched only by the serialized send or receive path,
    // guarded by `lock`.
    /// The encrypted channel underneath.
    public let channel: SecureChannel
    private let signingKey: Curve25519.Signing.PrivateKey
    /// The peer's signing key every received message must verify under.
    public let peerSigningKey: Curve25519.Signing.PublicKey
    private let lock = NSLock()
    private var nextSent: UInt64 = 0
    private var nextReceived: UInt64 = 0

    /// Wraps an established channel.
    /// - Parameters:
    ///   - channel: the channel to send over.
    ///   - signingKey: this side's Ed25519 key.
    ///   - peerSigningKey: the peer's Ed25519 public key, obtained out of band or pinned.
    public init(channel: SecureChannel, signingKey: Curve25519.Signing.PrivateKey, peerSigningKey: Curve25519.Signing.PublicKey) {
        self.channel = channel
        self.signingKey = signingKey
        self.peerSigningKey = peerSigningKey
    }

    private var sendDirection: SignedMessage.Direction {
        channel.role == .initiator ? .initiatorToResponder : .responderToInitiator
    }

    /// Signs and sends a payload.
    /// - Returns: the signed message as sent (keep it to prove what you sent).
    /// - Throws: ``SecureChannelError`` from the channel.
    @discardableResult
    public func send(_ payload: [UInt8]) throws -> SignedMessage {
        let message = try lock.withLock {
            defer { nextSent += 1 }
            return try SignedMessage(
                signing: payload, sessionID: channel.handshakeHash, direction: sendDirection,
                sequenceNumber: nextSent, with: signingKey)
        }
        try channel.send(message.serialized())
        return message
    }

    /// Receives and verifies the next signed message.
    /// - Returns: the verified message (evidence), or `nil` at the peer's end of stream.
    /// - Throws: ``SignedMessageError`` when the signature, session, direction or sequence is
    ///   wrong, or ``SecureChannelError`` from the channel.
    public func receive() throws -> SignedMessage? {
        guard let bytes = try channel.receive() else { return nil }
        let message = try SignedMessage(serialized: bytes)
        guard message.sessionID == channel.handshakeHash else { throw SignedMessageError.wrongSession }
        guard message.direction != sendDirection else { throw SignedMessageError.wrongDirection }
        guard message.isValidSignature(by: peerSigningKey) else { throw SignedMessageError.invalidSignature }
        try lock.withLock {
            guard message.sequenceNumber == nextReceived else {
                throw SignedMessageError.unexpectedSequence(expected: nextReceived, got: message.sequenceNumber)
            }
            nextReceived += 1
        }
        return message
    }
}
