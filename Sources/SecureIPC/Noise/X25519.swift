import Crypto

/// X25519 as Noise's `DH()`, with the all-zero (low-order point) result rejected.
enum X25519 {
    static let keyLength = 32

    static func publicKey(_ bytes: [UInt8]) throws -> Curve25519.KeyAgreement.PublicKey {
        guard bytes.count == keyLength,
            let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes)
        else { throw SecureChannelError.invalidPublicKey }
        return key
    }

    /// Computes DH(private, public). Throws ``SecureChannelError/lowOrderPoint`` when the
    /// shared secret is all zeros (checked without an early exit), whether or not the
    /// underlying library already refuses it.
    static func dh(_ privateKey: Curve25519.KeyAgreement.PrivateKey, _ publicKey: [UInt8]) throws
        -> [UInt8]
    {
        let peer = try Self.publicKey(publicKey)
        guard let shared = try? privateKey.sharedSecretFromKeyAgreement(with: peer) else {
            throw SecureChannelError.lowOrderPoint
        }
        let bytes = shared.withUnsafeBytes { Array($0) }
        var accumulated: UInt8 = 0
        for byte in bytes { accumulated |= byte }
        guard accumulated != 0 else { throw SecureChannelError.lowOrderPoint }
        return bytes
    }
}
