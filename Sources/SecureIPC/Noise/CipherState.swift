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
    /// Reused by `decryptData` (holds only public ciphertext).
    private var combinedScratch = Data()

    init(key: SymmetricKey? = nil) { self.key = key }

    var hasKey: Bool { key != nil }

    static func chaChaNonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
        // Built on the stack: 4 zero bytes, then the counter little-endian.
        withUnsafeTemporaryAllocation(byteCount: 12, alignment: 8) { bytes in
            bytes.storeBytes(of: UInt32(0), toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: counter.littleEndian, toByteOffset: 4, as: UInt64.self)
            return try! ChaChaPoly.Nonce(data: UnsafeRawBufferPointer(bytes))  // 12 bytes is always valid
        }
    }

    /// `EncryptWithAd`: returns the plaintext unchanged while no key is set.
    mutating func encrypt(associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce != .max else { throw SecureChannelError.nonceExhausted }
        let box = try ChaChaPoly.seal(
            plaintext, using: key, nonce: Self.chaChaNonce(nonce), authenticating: associatedData)
        nonce += 1
        // `combined` is nonce ‖ ciphertext ‖ tag; copy all but the nonce in one memcpy.
        return Self.bytes(of: box.combined, dropping: 12)
    }

    /// Copies `data` after its first `count` bytes into an array with one contiguous copy
    /// (the generic `Array(data)` path is several times slower for large records).
    static func bytes(of data: Data, dropping count: Int) -> [UInt8] {
        let length = data.count - count
        guard length > 0 else { return [] }
        return data.withUnsafeBytes { source in
            [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[count...]))
                initialized = length
            }
        }
    }

    /// `DecryptWithAd`: the nonce advances only when authentication succeeds.
    mutating func decrypt(associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        guard hasKey else { return ciphertext }
        return Self.bytes(of: try decryptData(associatedData: associatedData, ciphertext: ciphertext), dropping: 0)
    }

    /// `DecryptWithAd` returning swift-crypto's `Data`, so a caller can strip a header while
    /// copying out. Requires a key.
    mutating func decryptData(associatedData: [UInt8], ciphertext: [UInt8]) throws -> Data {
        guard let key else { return Data(ciphertext) }
        guard nonce != .max else { throw SecureChannelError.nonceExhausted }
        guard ciphertext.count >= 16 else { throw SecureChannelError.authenticationFailed }
        let plaintext: Data
        do {
            // Reuse one buffer for nonce ‖ ciphertext ‖ tag: a fresh large allocation per
            // record makes glibc trim and re-grow the heap, costing page faults every record.
            combinedScratch.removeAll(keepingCapacity: true)
            Self.chaChaNonce(nonce).withUnsafeBytes { combinedScratch.append(contentsOf: $0) }
            ciphertext.withUnsafeBytes { combinedScratch.append(contentsOf: $0) }
            plaintext = try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: combinedScratch), using: key, authenticating: associatedData)
        } catch {
            throw SecureChannelError.authenticationFailed
        }
        nonce += 1
        return plaintext
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
