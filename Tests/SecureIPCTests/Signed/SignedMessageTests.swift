import Crypto
import Foundation
import Testing

@testable import SecureIPC

struct SignedMessageTests {
    /// A third party with only the sender's public key verifies stored evidence; any change to
    /// any transcript field, or another key, fails.
    @Test func thirdPartyVerifiesEvidenceAndDetectsEveryChange() throws {
        let key = Curve25519.Signing.PrivateKey()
        let session = (0..<32).map { UInt8($0) }
        let message = try SignedMessage(signing: Array("pay 10".utf8), sessionID: session, direction: .initiatorToResponder, sequenceNumber: 7, with: key)
        let evidence = message.serialized()
        let stored = try SignedMessage(serialized: evidence)
        #expect(stored == message)
        #expect(stored.isValidSignature(by: key.publicKey))
        #expect(!stored.isValidSignature(by: Curve25519.Signing.PrivateKey().publicKey))
        // Flip every byte of the serialized evidence except the length prefix.
        for position in 1..<evidence.count {
            var altered = evidence
            altered[position] ^= 0x01
            if let decoded = try? SignedMessage(serialized: altered) {
                #expect(!decoded.isValidSignature(by: key.publicKey), "byte \(position)")
            }
        }
        let variants = [
            SignedMessage(sessionID: session.reversed(), direction: .initiatorToResponder, sequenceNumber: 7, payload: message.payload, signature: message.signature),
            SignedMessage(sessionID: session, direction: .responderToInitiator, sequenceNumber: 7, payload: message.payload, signature: message.signature),
            SignedMessage(sessionID: session, direction: .initiatorToResponder, sequenceNumber: 8, payload: message.payload, signature: message.signature),
            SignedMessage(sessionID: session, direction: .initiatorToResponder, sequenceNumber: 7, payload: Array("pay 99".utf8), signature: message.signature),
        ]
        for variant in variants { #expect(!variant.isValidSignature(by: key.publicKey)) }
        #expect(throws: SignedMessageError.malformed) { try SignedMessage(serialized: [32, 1, 2]) }
    }

    @Test func signedChannelDeliversVerifiedEvidence() throws {
        let (alice, bob) = try Fixtures.channelPair()
        let (aliceSigning, bobSigning) = (Curve25519.Signing.PrivateKey(), Curve25519.Signing.PrivateKey())
        let aliceSide = SignedChannel(channel: alice, signingKey: aliceSigning, peerSigningKey: bobSigning.publicKey)
        let bobSide = SignedChannel(channel: bob, signingKey: bobSigning, peerSigningKey: aliceSigning.publicKey)
        let sent = try aliceSide.send(Array("order 1".utf8))
        let received = try #require(try bobSide.receive())
        #expect(received == sent)
        #expect(received.sessionID == bob.handshakeHash)
        #expect(received.isValidSignature(by: aliceSigning.publicKey))
        try bobSide.send(Array("receipt 1".utf8))
        #expect(try aliceSide.receive()?.sequenceNumber == 0)
        try alice.finish()
        #expect(try bobSide.receive() == nil)
    }

    /// A peer that holds the channel keys but misbehaves at the signing layer.
    @Test func signedChannelRejectsForgedReplayedReflectedAndForeignMessages() throws {
        let aliceSigning = Curve25519.Signing.PrivateKey()
        func fresh() throws -> (SecureChannel, SignedChannel) {
            let (alice, bob) = try Fixtures.channelPair()
            return (alice, SignedChannel(channel: bob, signingKey: Curve25519.Signing.PrivateKey(), peerSigningKey: aliceSigning.publicKey))
        }
        // Signed by another key.
        var (alice, bob) = try fresh()
        try alice.send(SignedMessage(signing: [1], sessionID: alice.handshakeHash, direction: .initiatorToResponder, sequenceNumber: 0, with: Curve25519.Signing.PrivateKey()).serialized())
        #expect(throws: SignedMessageError.invalidSignature) { try bob.receive() }
        // Replayed from another session.
        (alice, bob) = try fresh()
        try alice.send(SignedMessage(signing: [1], sessionID: [UInt8](repeating: 9, count: 32), direction: .initiatorToResponder, sequenceNumber: 0, with: aliceSigning).serialized())
        #expect(throws: SignedMessageError.wrongSession) { try bob.receive() }
        // Reflected: claims the receiver's own direction.
        (alice, bob) = try fresh()
        try alice.send(SignedMessage(signing: [1], sessionID: alice.handshakeHash, direction: .responderToInitiator, sequenceNumber: 0, with: aliceSigning).serialized())
        #expect(throws: SignedMessageError.wrongDirection) { try bob.receive() }
        // Replayed inside the same session (re-sent under a new record).
        (alice, bob) = try fresh()
        let first = try SignedMessage(signing: [1], sessionID: alice.handshakeHash, direction: .initiatorToResponder, sequenceNumber: 0, with: aliceSigning)
        try alice.send(first.serialized())
        try alice.send(first.serialized())
        #expect(try bob.receive() == first)
        #expect(throws: SignedMessageError.unexpectedSequence(expected: 1, got: 0)) { try bob.receive() }
    }
}
