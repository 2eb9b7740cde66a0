import Crypto

/// The Noise_XX_25519_ChaChaPoly_SHA256 handshake (Noise Protocol Framework, revision 34) as a
/// state machine with no I/O: feed it the peer's messages, send what it writes.
///
/// Message order for XX: the initiator writes message 1, the responder reads it and writes
/// message 2, the initiator reads it and writes message 3, the responder reads it. After the
/// third message both sides call ``split()`` to get a ``NoiseTransport``. Payloads of messages 2
/// and 3 are encrypted; message 1's payload is sent in clear (as the spec says), so keep it empty.
///
/// The handshake does not decide whom to trust: read ``remoteStaticKey`` once it is set and
/// decide (``SecureChannel`` does this with its ``PeerTrust``). Not thread-safe: a value type.
public struct NoiseHandshake: Sendable {
    /// The role this side plays.
    public let role: NoiseRole
    private var symmetric: SymmetricState
    private let staticKey: Curve25519.KeyAgreement.PrivateKey
    private var ephemeralKey: Curve25519.KeyAgreement.PrivateKey?
    private var presetEphemeral: Curve25519.KeyAgreement.PrivateKey?
    private var remoteEphemeral: [UInt8]?
    /// The peer's static public key, once the message carrying it has been read.
    public private(set) var remoteStaticKey: [UInt8]?
    private var messageIndex = 0

    /// Creates a handshake.
    /// - Parameters:
    ///   - role: initiator or responder.
    ///   - staticKey: this side's long-term X25519 key.
    ///   - prologue: data both sides must agree on; it is mixed into the handshake hash.
    public init(
        role: NoiseRole, staticKey: Curve25519.KeyAgreement.PrivateKey, prologue: [UInt8] = []
    ) {
        self.init(role: role, staticKey: staticKey, prologue: prologue, ephemeralKey: nil)
    }

    /// Test hook: a fixed ephemeral key makes a handshake reproducible.
    init(
        role: NoiseRole, staticKey: Curve25519.KeyAgreement.PrivateKey, prologue: [UInt8],
        ephemeralKey: Curve25519.KeyAgreement.PrivateKey?
    ) {
        self.role = role
        self.staticKey = staticKey
        self.presetEphemeral = ephemeralKey
        symmetric = SymmetricState(protocolName: HandshakePattern.protocolName)
        symmetric.mixHash(prologue)
    }

    /// Whether all three messages have been processed.
    public var isComplete: Bool { messageIndex == HandshakePattern.xx.count }

    /// Whether it is this side's turn to write.
    public var isMyTurnToWrite: Bool {
        !isComplete && (messageIndex % 2 == 0) == (role == .initiator)
    }

    /// The handshake hash `h`: a unique, secret-independent identifier of this session that both
    /// sides share (use it as a session id or for channel binding). Final once complete.
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// Writes the next handshake message.
    /// - Parameter payload: application data carried in the message (encrypted in messages 2 and 3).
    /// - Returns: the bytes to send to the peer.
    /// - Throws: ``SecureChannelError/handshakeOutOfOrder`` when it is the peer's turn,
    ///   ``SecureChannelError/lowOrderPoint`` when a DH result is zero.
    public mutating func writeMessage(payload: [UInt8] = []) throws -> [UInt8] {
        guard isMyTurnToWrite else { throw SecureChannelError.handshakeOutOfOrder }
        var buffer: [UInt8] = []
        for token in HandshakePattern.xx[messageIndex] {
            switch token {
            case .e:
                let key = presetEphemeral ?? Curve25519.KeyAgreement.PrivateKey()
                presetEphemeral = nil
                ephemeralKey = key
                let publicKey = Array(key.publicKey.rawRepresentation)
                buffer += publicKey
                symmetric.mixHash(publicKey)
            case .s:
                buffer += try symmetric.encryptAndHash(Array(staticKey.publicKey.rawRepresentation))
            default:
                try mixDH(token)
            }
        }
        buffer += try symmetric.encryptAndHash(payload)
        messageIndex += 1
        return buffer
    }

    /// Reads the peer's next handshake message.
    /// - Parameter message: the bytes received.
    /// - Returns: the decrypted payload.
    /// - Throws: ``SecureChannelError/malformedHandshakeMessage(expectedAtLeast:got:)``,
    ///   ``SecureChannelError/authenticationFailed``, ``SecureChannelError/lowOrderPoint`` or
    ///   ``SecureChannelError/handshakeOutOfOrder``. After a throw, discard the handshake.
    public mutating func readMessage(_ message: [UInt8]) throws -> [UInt8] {
        guard !isComplete, !isMyTurnToWrite else { throw SecureChannelError.handshakeOutOfOrder }
        var rest = message[...]
        func take(_ count: Int) throws -> [UInt8] {
            guard rest.count >= count else {
                throw SecureChannelError.malformedHandshakeMessage(
                    expectedAtLeast: message.count - rest.count + count, got: message.count)
            }
            defer { rest = rest.dropFirst(count) }
            return Array(rest.prefix(count))
        }
        for token in HandshakePattern.xx[messageIndex] {
            switch token {
            case .e:
                let publicKey = try take(X25519.keyLength)
                remoteEphemeral = publicKey
                symmetric.mixHash(publicKey)
            case .s:
                let length = X25519.keyLength + (symmetric.cipher.hasKey ? 16 : 0)
                remoteStaticKey = try symmetric.decryptAndHash(take(length))
            default:
                try mixDH(token)
            }
        }
        if symmetric.cipher.hasKey && rest.count < 16 {
            throw SecureChannelError.malformedHandshakeMessage(
                expectedAtLeast: message.count - rest.count + 16, got: message.count)
        }
        let payload = try symmetric.decryptAndHash(Array(rest))
        messageIndex += 1
        return payload
    }

    private mutating func mixDH(_ token: NoiseToken) throws {
        let initiator = role == .initiator
        let (local, remote): (Curve25519.KeyAgreement.PrivateKey?, [UInt8]?) =
            switch token {
            case .ee: (ephemeralKey, remoteEphemeral)
            case .es: initiator ? (ephemeralKey, remoteStaticKey) : (staticKey, remoteEphemeral)
            case .se: initiator ? (staticKey, remoteEphemeral) : (ephemeralKey, remoteStaticKey)
            case .ss: (staticKey, remoteStaticKey)
            case .e, .s: (nil, nil)
            }
        guard let local, let remote else { throw SecureChannelError.handshakeOutOfOrder }
        symmetric.mixKey(try X25519.dh(local, remote))
    }

    /// `Split()`: derives the transport keys once the handshake is complete.
    /// - Throws: ``SecureChannelError/handshakeOutOfOrder`` if the handshake is not complete.
    public func split() throws -> NoiseTransport {
        guard isComplete, let remoteStaticKey else { throw SecureChannelError.handshakeOutOfOrder }
        let (first, second) = symmetric.split()
        return NoiseTransport(
            sending: role == .initiator ? first : second,
            receiving: role == .initiator ? second : first,
            handshakeHash: symmetric.handshakeHash, remoteStaticKey: remoteStaticKey)
    }
}
