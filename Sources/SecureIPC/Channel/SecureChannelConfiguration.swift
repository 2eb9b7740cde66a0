import Crypto

/// Settings for one side of a ``SecureChannel``.
public struct SecureChannelConfiguration: Sendable {
    /// This side's long-term X25519 key.
    public var staticKey: Curve25519.KeyAgreement.PrivateKey
    /// Which peer static keys to accept.
    public var peerTrust: PeerTrust
    /// Bytes both sides must agree on (protocol version, purpose); mixed into the handshake hash.
    public var prologue: [UInt8]
    /// Largest payload `send` accepts and `receive` delivers; at most ``SecureChannel/maximumPayloadSize``.
    public var maximumPayloadSize: Int
    /// Rekey the sending direction automatically after this many data records (`nil`: never;
    /// ignored with the plain record layer, which has no in-band rekey).
    public var rekeyInterval: UInt64?
    /// What each transport message carries: Turnstile's typed records, or plain Noise payloads.
    public var recordLayer: RecordLayer

    /// Creates a configuration.
    /// - Parameters:
    ///   - staticKey: this side's long-term key.
    ///   - peerTrust: whom to accept; there is no default, so a caller decides.
    ///   - prologue: shared context bytes; both sides must pass the same.
    ///   - maximumPayloadSize: payload limit per record.
    ///   - rekeyInterval: automatic rekey period in records, or `nil`.
    ///   - recordLayer: typed records (default) or plain Noise transport messages.
    public init(
        staticKey: Curve25519.KeyAgreement.PrivateKey, peerTrust: PeerTrust, prologue: [UInt8] = [],
        maximumPayloadSize: Int = SecureChannel.maximumPayloadSize, rekeyInterval: UInt64? = nil,
        recordLayer: RecordLayer = .typed
    ) {
        self.staticKey = staticKey
        self.peerTrust = peerTrust
        self.prologue = prologue
        self.maximumPayloadSize = min(maximumPayloadSize, SecureChannel.maximumPayloadSize)
        self.rekeyInterval = rekeyInterval
        self.recordLayer = recordLayer
    }
}
