/// The two transport `CipherState`s produced by a completed ``NoiseHandshake``.
///
/// Each ``seal(_:)`` uses the next 64-bit counter nonce with empty associated data, exactly as
/// the Noise spec's transport phase, so it interoperates with any Noise implementation. It
/// refuses to use the reserved nonce 2⁶⁴−1 rather than wrap. Not thread-safe: a value type.
public struct NoiseTransport: Sendable {
    var sending: CipherState
    var receiving: CipherState
    /// The final handshake hash, identical on both sides.
    public let handshakeHash: [UInt8]
    /// The peer's static X25519 public key.
    public let remoteStaticKey: [UInt8]

    /// The largest Noise message: 65535 bytes, of which 16 are the authentication tag.
    public static let maximumMessageLength = 65535

    /// Encrypts one transport message.
    /// - Throws: ``SecureChannelError/nonceExhausted`` or
    ///   ``SecureChannelError/messageTooLarge(size:limit:)``.
    public mutating func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        let limit = Self.maximumMessageLength - 16
        guard plaintext.count <= limit else {
            throw SecureChannelError.messageTooLarge(size: plaintext.count, limit: limit)
        }
        return try sending.encrypt(associatedData: [], plaintext: plaintext)
    }

    /// Decrypts one transport message; the receive counter advances only on success.
    /// - Throws: ``SecureChannelError/authenticationFailed``,
    ///   ``SecureChannelError/nonceExhausted`` or ``SecureChannelError/messageTooLarge(size:limit:)``.
    public mutating func open(_ message: [UInt8]) throws -> [UInt8] {
        guard message.count <= Self.maximumMessageLength else {
            throw SecureChannelError.messageTooLarge(
                size: message.count, limit: Self.maximumMessageLength)
        }
        return try receiving.decrypt(associatedData: [], ciphertext: message)
    }

    /// Replaces the sending key per the spec's `Rekey()`; the peer must call
    /// ``rekeyReceiving()`` at the same point in the stream.
    public mutating func rekeySending() { sending.rekey() }

    /// Replaces the receiving key per the spec's `Rekey()`.
    public mutating func rekeyReceiving() { receiving.rekey() }

    /// The next sending and receiving counters (for diagnostics and tests).
    public var counters: (sending: UInt64, receiving: UInt64) { (sending.nonce, receiving.nonce) }
}
