// The grader's adapter: the one place that names the student's types (imported `internal`).
import AssignmentContract
internal import Crypto
internal import SecureChannel

/// Exposes the student's `ChannelSession` and `PeerPins` to the checks.
public enum StudentAdapter: AssignmentContract.SecureChannelImplementation {
    public static func makeSession(
        role: AssignmentContract.RoleUnderTest, chainingKey: [Swift.UInt8], handshakeHash: [Swift.UInt8], signingKey: [Swift.UInt8]?,
        peerSigningKey: [Swift.UInt8]?
    ) -> any AssignmentContract.SessionUnderTest {
        let signer = signingKey.flatMap { try? Crypto.Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
        let verifier = peerSigningKey.flatMap { try? Crypto.Curve25519.Signing.PublicKey(rawRepresentation: $0) }
        let studentRole: SecureChannel.Role = role == .initiator ? .initiator : .responder
        return AdaptedSession(
            SecureChannel.ChannelSession(
                role: studentRole, chainingKey: chainingKey, handshakeHash: handshakeHash, signingKey: signer, peerSigningKey: verifier))
    }

    public static func verifyPeer(remoteStatic: [Swift.UInt8], pinned: [[Swift.UInt8]]) -> Swift.Bool {
        (try? SecureChannel.PeerPins.verify(remoteStatic: remoteStatic, pinned: pinned)) != nil
    }
}

final class AdaptedSession: AssignmentContract.SessionUnderTest, @unchecked Swift.Sendable {
    let base: SecureChannel.ChannelSession
    init(_ base: SecureChannel.ChannelSession) { self.base = base }
    func seal(_ payload: [Swift.UInt8]) -> [Swift.UInt8]? { try? base.seal(payload) }
    func sealRekey() -> [Swift.UInt8]? { try? base.sealRekey() }
    func sealEnd() -> [Swift.UInt8]? { try? base.sealEnd() }
    func open(_ record: [Swift.UInt8]) -> AssignmentContract.ReceivedUnderTest? {
        switch try? base.open(record) {
        case .data(let bytes)?: .data(bytes)
        case .rekey?: .rekey
        case .end?: .end
        case nil: nil
        }
    }
    func close() -> Swift.Bool { (try? base.close()) != nil }
}
