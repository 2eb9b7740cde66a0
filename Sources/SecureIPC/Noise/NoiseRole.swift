/// Which side of a Noise handshake a party plays.
public enum NoiseRole: Sendable, Hashable {
    /// Sends the first handshake message (`-> e`).
    case initiator
    /// Answers the first handshake message (`<- e, ee, s, es`).
    case responder
}

/// One token of a Noise message pattern (spec rev 34, §7).
enum NoiseToken: Sendable {
    case e, s, ee, es, se, ss
}

/// The XX interactive pattern: `-> e`, `<- e, ee, s, es`, `-> s, se`.
enum HandshakePattern {
    static let protocolName = "Noise_XX_25519_ChaChaPoly_SHA256"
    static let xx: [[NoiseToken]] = [[.e], [.e, .ee, .s, .es], [.s, .se]]
}
