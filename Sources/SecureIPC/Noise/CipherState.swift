import Crypto
import Foundation

/// A Noise `CipherState` (spec rev 34, §5.1): a ChaChaPoly key and a 64-bit counter nonce.
///
/// The nonce is encoded as 32 bits of zeros followed by the counter in little-endian order.
/// The value 2⁶⁴−1 is reserved for ``rekey()``; once the counter reaches it every further
/// encryption or decryption throws ``SecureChannelError/nonceExhausted`` instead of wrapping.
struct CipherState: Sendable {
    private(set) var key: SymmetricKey?
    /// The next nonce to use.
    var nonce: UInt64 = 0

    init(key: SymmetricKey? = nil) { self.key = key }

    var hasKey: Bool { key != nil }

    static func chaChaNonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[4 + index] = UInt8(truncatingIfNeeded: counter >> (8 * index)) }
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes is always a valid nonce
    }

    /// `EncryptWithAd`: returns the plaintext unchanged while no key is set.
    mutating func encrypt(associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce != .max else { throw SecureChannelError.nonceExhausted }
        let box = try ChaChaPoly.seal(
            plaintext, using: key, nonce: Self.chaChaNonce(nonce), authenticating: associatedData)
        nonce += 1
        var output = [UInt8]()
        output.reserveCapacity(plaintext.count + 16)
        output.append(contentsOf: box.ciphertext)
        output.append(contentsOf: box.tag)
        return output
    }

    /// `DecryptWithAd`: the nonce advances only when authentication succeeds.
    mutating func decrypt(associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce != .max else { throw SecureChannelError.nonceExhausted }
        guard ciphertext.count >= 16 else { throw SecureChannelError.authenticationFailed }
        let plaintext: Data
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: Self.chaChaNonce(nonce), ciphertext: ciphertext[..<(ciphertext.count - 16)],
                tag: ciphertext[(ciphertext.count - 16)...])
            plaintext = try ChaChaPoly.open(box, using: key, authenticating: associatedData)
        } catch {
            throw SecureChannelError.authenticationFailed
        }
        nonce += 1
        return [UInt8](plaintext)
    }

    /// `Rekey()`: k = the first 32 bytes of ENCRYPT(k, 2⁶⁴−1, empty, 32 zero bytes). The
    /// counter is left as it is.
    mutating func rekey() {
        guard let key else { return }
        let box = try! ChaChaPoly.seal(  // sealing with a valid key and nonce cannot fail
            [UInt8](repeating: 0, count: 32), using: key, nonce: Self.chaChaNonce(.max),
            authenticating: [UInt8]())
        self.key = SymmetricKey(data: box.ciphertext.prefix(32))
    }
}
