import Crypto

/// Whom a ``SecureChannel`` accepts as its peer, decided on the peer's static X25519 key after
/// the peer has proved it holds the matching private key.
public enum PeerTrust: Sendable {
    /// Accept only these static public keys (32 bytes each).
    case pinned(Set<[UInt8]>)
    /// Ask a callback; return `true` to accept. Called once per handshake, on the handshake's thread.
    case callback(@Sendable (_ remoteStaticKey: [UInt8]) -> Bool)
    /// Accept any peer: confidentiality against eavesdroppers only, no authentication of the
    /// peer. For demonstrations and trust-on-first-use tools that record the key themselves.
    case anyPeer

    /// Accept exactly one static public key.
    public static func pinned(_ key: Curve25519.KeyAgreement.PublicKey) -> PeerTrust {
        .pinned([Array(key.rawRepresentation)])
    }

    func accepts(_ key: [UInt8]) -> Bool {
        switch self {
        case .pinned(let keys): keys.contains(key)
        case .callback(let decide): decide(key)
        case .anyPeer: true
        }
    }
}
