import Crypto
import Foundation

/// A Noise `SymmetricState` (spec rev 34, §5.2) for SHA-256: chaining key, handshake hash and
/// the current ``CipherState``.
struct SymmetricState: Sendable {
    static let hashLength = 32
    var cipher = CipherState()
    private(set) var chainingKey: [UInt8]
    private(set) var handshakeHash: [UInt8]

    /// `InitializeSymmetric`: a name of at most HASHLEN bytes is zero-padded, a longer one hashed.
    init(protocolName: String) {
        let name = Array(protocolName.utf8)
        if name.count <= Self.hashLength {
            handshakeHash = name + [UInt8](repeating: 0, count: Self.hashLength - name.count)
        } else {
            handshakeHash = Array(SHA256.hash(data: name))
        }
        chainingKey = handshakeHash
    }

    /// Noise's `HKDF(chaining_key, input_key_material, 2)`. It is exactly RFC 5869 HKDF with
    /// the chaining key as salt and an empty info string, so swift-crypto's HKDF computes it.
    static func hkdf(chainingKey: [UInt8], inputKeyMaterial: [UInt8]) -> ([UInt8], [UInt8]) {
        let output = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: chainingKey,
            info: [UInt8](), outputByteCount: 2 * hashLength)
        return output.withUnsafeBytes { bytes in
            (Array(bytes[0..<hashLength]), Array(bytes[hashLength..<(2 * hashLength)]))
        }
    }

    mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let (newChainingKey, temporaryKey) = Self.hkdf(
            chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial)
        chainingKey = newChainingKey
        cipher = CipherState(key: SymmetricKey(data: temporaryKey))
    }

    mutating func mixHash(_ data: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: handshakeHash)
        hasher.update(data: data)
        handshakeHash = Array(hasher.finalize())
    }

    mutating func encryptAndHash(_ plaintext: [UInt8]) throws -> [UInt8] {
        let ciphertext = try cipher.encrypt(associatedData: handshakeHash, plaintext: plaintext)
        mixHash(ciphertext)
        return ciphertext
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8]) throws -> [UInt8] {
        let plaintext = try cipher.decrypt(associatedData: handshakeHash, ciphertext: ciphertext)
        mixHash(ciphertext)
        return plaintext
    }

    /// `Split()`: the initiator sends with the first state and receives with the second.
    func split() -> (CipherState, CipherState) {
        let (first, second) = Self.hkdf(chainingKey: chainingKey, inputKeyMaterial: [])
        return (CipherState(key: SymmetricKey(data: first)), CipherState(key: SymmetricKey(data: second)))
    }
}
