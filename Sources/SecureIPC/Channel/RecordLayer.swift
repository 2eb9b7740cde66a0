/// What a ``SecureChannel`` puts inside each Noise transport message.
///
/// On the wire both layers are the same Noise_XX_25519_ChaChaPoly_SHA256 session, each Noise
/// message (handshake or transport) after a 2-byte big-endian length. They differ in the
/// plaintext of a transport message:
public enum RecordLayer: String, Sendable, CaseIterable {
    /// Turnstile's record layer: the first plaintext byte is the record type — `0x00` data
    /// (the payload follows), `0x01` end of stream, `0x02` rekey (the sender rekeyed its sending
    /// key right after it) — so the end of the stream and rekeys are authenticated, and a
    /// connection that ends without an end-of-stream record is reported as truncated.
    case typed
    /// Plain Noise transport messages: the plaintext is the payload, nothing else. Any Noise
    /// implementation is the other end as it is; but the end of the stream is only the end of
    /// the connection (truncation by an attacker cannot be told from a clean end) and there is
    /// no in-band rekey.
    case plain
}
