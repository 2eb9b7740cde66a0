/// Secure message passing and IPC security mechanisms from the course text (§4.3): a Noise
/// secure channel, signed messages, an encrypted shared region, zeroizing and guarded buffers,
/// a side-channel demonstration, a reference monitor and capabilities. See the SecureIPC
/// documentation catalog for the overview.
public enum SecureIPC {
    /// The Noise protocol name the channel speaks.
    public static let noiseProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256"
}
