import Crypto
import Foundation
import Testing

@testable import SecureIPC

/// An active attacker against the XX handshake. Every tampering must end in a typed
/// ``SecureChannelError`` on the side that reads after it; none may yield two sides that
/// believe they share a session.
struct HandshakeAttackTests {
    /// Runs the three messages in one thread, letting `tamper` rewrite each on the wire; returns
    /// the first error, or nil when both sides completed and can exchange a transport message.
    static func run(
        initiatorKey: Curve25519.KeyAgreement.PrivateKey = Fixtures.key(),
        responderKey: Curve25519.KeyAgreement.PrivateKey = Fixtures.key(),
        tamper: (Int, inout [UInt8]) -> Void
    ) -> SecureChannelError? {
        var initiator = NoiseHandshake(role: .initiator, staticKey: initiatorKey)
        var responder = NoiseHandshake(role: .responder, staticKey: responderKey)
        do {
            var first = try initiator.writeMessage()
            tamper(0, &first)
            _ = try responder.readMessage(first)
            var second = try responder.writeMessage()
            tamper(1, &second)
            _ = try initiator.readMessage(second)
            guard initiator.remoteStaticKey == Fixtures.publicBytes(responderKey) else {
                return .untrustedPeer(publicKeyHex: "")
            }
            var third = try initiator.writeMessage()
            tamper(2, &third)
            _ = try responder.readMessage(third)
            guard responder.remoteStaticKey == Fixtures.publicBytes(initiatorKey) else {
                return .untrustedPeer(publicKeyHex: "")
            }
            var sending = try initiator.split()
            var receiving = try responder.split()
            _ = try receiving.open(sending.seal([1, 2, 3]))
            return nil
        } catch let error as SecureChannelError {
            return error
        } catch {
            Issue.record("untyped error \(error)")
            return .transport(description: "\(error)")
        }
    }

    @Test func untamperedHandshakeAgrees() throws {
        #expect(Self.run { _, _ in } == nil)
        var initiator = NoiseHandshake(role: .initiator, staticKey: Fixtures.key())
        var responder = NoiseHandshake(role: .responder, staticKey: Fixtures.key())
        _ = try responder.readMessage(initiator.writeMessage())
        #expect(try initiator.readMessage(responder.writeMessage(payload: [9, 9])) == [9, 9])
        #expect(try responder.readMessage(initiator.writeMessage(payload: [7])) == [7])
        #expect(initiator.handshakeHash == responder.handshakeHash)
        #expect(try initiator.split().handshakeHash == responder.split().handshakeHash)
    }

    /// Flips the low and the high bit of every byte of each of the three messages (message 1 is
    /// 32 bytes, message 2 96, message 3 64: 384 tamperings). Flipping the high bit of an
    /// ephemeral key's last byte leaves the X25519 point unchanged, but the transcript hash
    /// still differs, so the next AEAD check fails.
    @Test(arguments: [0, 1, 2])
    func flippingAnyBitOfAHandshakeMessageIsRejected(messageIndex: Int) {
        let lengths = [32, 96, 64]
        var rejected = 0
        for position in 0..<lengths[messageIndex] {
            for mask: UInt8 in [0x01, 0x80] {
                let error = Self.run { index, message in
                    if index == messageIndex { message[position] ^= mask }
                }
                #expect(error == .authenticationFailed || error == .lowOrderPoint, "message \(messageIndex + 1) byte \(position) mask \(mask): \(String(describing: error))")
                if error != nil { rejected += 1 }
            }
        }
        #expect(rejected == lengths[messageIndex] * 2)
    }

    @Test func truncatedOrExtendedHandshakeMessagesAreRejected() {
        for messageIndex in 0..<3 {
            let cut = Self.run { index, message in if index == messageIndex { message.removeLast() } }
            #expect(cut != nil, "message \(messageIndex + 1) truncated by one byte")
            let empty = Self.run { index, message in if index == messageIndex { message = [] } }
            if case .malformedHandshakeMessage = empty {} else { Issue.record("empty message \(messageIndex + 1): \(String(describing: empty))") }
        }
        // Bytes appended to message 2 or 3 become part of the encrypted payload and break its tag.
        #expect(Self.run { index, message in if index == 1 { message.append(0) } } == .authenticationFailed)
        #expect(Self.run { index, message in if index == 2 { message.append(0) } } == .authenticationFailed)
    }

    /// Reflecting message 1 back to the initiator (as if it were message 2) is rejected.
    @Test func reflectedHandshakeMessageIsRejected() throws {
        var initiator = NoiseHandshake(role: .initiator, staticKey: Fixtures.key())
        let first = try initiator.writeMessage()
        expectRejected(.malformedHandshakeMessage(expectedAtLeast: 80, got: 32)) { _ = try initiator.readMessage(first) }
        var responder = NoiseHandshake(role: .responder, staticKey: Fixtures.key())
        _ = try responder.readMessage(first)
        let second = try responder.writeMessage()
        // The responder's own message 2 fed back to it, in place of message 3.
        var reflected = second
        reflected.removeLast(96 - 64)
        expectRejected(.authenticationFailed) { _ = try responder.readMessage(reflected) }
    }

    @Test func stepsOutOfTurnAreRejected() throws {
        var responder = NoiseHandshake(role: .responder, staticKey: Fixtures.key())
        expectRejected(.handshakeOutOfOrder) { _ = try responder.writeMessage() }
        var initiator = NoiseHandshake(role: .initiator, staticKey: Fixtures.key())
        expectRejected(.handshakeOutOfOrder) { _ = try initiator.readMessage([UInt8](repeating: 0, count: 32)) }
        expectRejected(.handshakeOutOfOrder) { _ = try initiator.split() }
    }

    /// Low-order X25519 points as an ephemeral key: all-zero and one, plus every public key
    /// Wycheproof marks as giving a zero shared secret.
    static func lowOrderPoints() -> [[UInt8]] {
        var points: [[UInt8]] = [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31)]
        if let data = TestVectors.load("x25519_test.json"),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let groups = json["testGroups"] as? [[String: Any]]
        {
            for test in groups.flatMap({ $0["tests"] as? [[String: Any]] ?? [] })
            where (test["flags"] as? [String] ?? []).contains("ZeroSharedSecret") {
                let point = TestVectors.bytes(test["public"] as! String)
                if !points.contains(point) { points.append(point) }
            }
        }
        return points
    }

    @Test func lowOrderEphemeralKeysAreRejectedByBothRoles() throws {
        let points = Self.lowOrderPoints()
        #expect(points.count > 10)
        for point in points {
            // Attacker as initiator: message 1 carries the point; the responder's `ee` is zero.
            var responder = NoiseHandshake(role: .responder, staticKey: Fixtures.key())
            _ = try responder.readMessage(point)
            expectRejected(.lowOrderPoint) { _ = try responder.writeMessage() }
            // Attacker as responder: message 2 starts with the point; the initiator's `ee` is zero.
            var initiator = NoiseHandshake(role: .initiator, staticKey: Fixtures.key())
            _ = try initiator.writeMessage()
            expectRejected(.lowOrderPoint) { _ = try initiator.readMessage(point + [UInt8](repeating: 0, count: 64)) }
        }
    }

    /// Mallory terminates both handshakes with her own static key. Pinning on each side refuses
    /// her; a trust callback sees her key and can refuse it too.
    @Test func manInTheMiddleStaticKeyIsRejected() throws {
        let (aliceKey, bobKey, malloryKey) = (Fixtures.key(), Fixtures.key(), Fixtures.key())
        let (aliceEnd, malloryFacingAlice) = InMemoryTransport.makePair(timeout: 5)
        let (malloryFacingBob, bobEnd) = InMemoryTransport.makePair(timeout: 5)
        let mallory = SecureChannelConfiguration(staticKey: malloryKey, peerTrust: .anyPeer)
        let towardAlice = Fixtures.establish(
            initiator: SecureChannelConfiguration(staticKey: aliceKey, peerTrust: .pinned(bobKey.publicKey)),
            responder: mallory, initiatorTransport: aliceEnd, responderTransport: malloryFacingAlice)
        let seen = SeenKeys()
        let towardBob = Fixtures.establish(
            initiator: mallory,
            responder: SecureChannelConfiguration(
                staticKey: bobKey, peerTrust: .callback { key in seen.add(key); return key == Fixtures.publicBytes(aliceKey) }),
            initiatorTransport: malloryFacingBob, responderTransport: bobEnd)
        let malloryHex = Hex.encode(malloryKey.publicKey.rawRepresentation)
        #expect(throws: SecureChannelError.untrustedPeer(publicKeyHex: malloryHex)) { try towardAlice.initiator.get() }
        #expect(throws: SecureChannelError.untrustedPeer(publicKeyHex: malloryHex)) { try towardBob.responder.get() }
        #expect(seen.keys == [Fixtures.publicBytes(malloryKey)])
    }
}

/// Keys a trust callback was shown.
// Safe to share: `keys` is only touched under `lock`.
final class SeenKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[UInt8]] = []
    func add(_ key: [UInt8]) { lock.withLock { stored.append(key) } }
    var keys: [[UInt8]] { lock.withLock { stored } }
}
