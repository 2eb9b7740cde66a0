import Crypto
import Foundation
import Testing

@testable import SecureIPC

/// Project Wycheproof vectors for the primitives the channel is built on, read from swift-crypto's
/// checkout, plus the RFC 5869 HKDF vectors. Each test checks it ran every vector in the file.
struct WycheproofTests {
    struct File<Group: Decodable>: Decodable {
        let algorithm: String
        let numberOfTests: Int
        let testGroups: [Group]
    }

    struct AEADGroup: Decodable {
        struct Case: Decodable { let tcId: Int, key: String, iv: String, aad: String, msg: String, ct: String, tag: String, result: String }
        let tests: [Case]
    }

    @Test func chaCha20Poly1305() throws {
        guard let data = TestVectors.load("chacha20_poly1305_test.json") else { return }
        let file = try JSONDecoder().decode(File<AEADGroup>.self, from: data)
        var (valid, invalid) = (0, 0)
        for test in file.testGroups.flatMap(\.tests) {
            let key = SymmetricKey(data: TestVectors.bytes(test.key))
            let (message, aad) = (TestVectors.bytes(test.msg), TestVectors.bytes(test.aad))
            let (ciphertext, tag) = (TestVectors.bytes(test.ct), TestVectors.bytes(test.tag))
            let opened = try? ChaChaPoly.open(
                ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: TestVectors.bytes(test.iv)), ciphertext: ciphertext, tag: tag),
                using: key, authenticating: aad)
            if test.result == "valid" {
                valid += 1
                let sealed = try ChaChaPoly.seal(message, using: key, nonce: ChaChaPoly.Nonce(data: TestVectors.bytes(test.iv)), authenticating: aad)
                #expect(Array(sealed.ciphertext) == ciphertext && Array(sealed.tag) == tag, "tcId \(test.tcId) seal")
                #expect(opened.map(Array.init) == message, "tcId \(test.tcId) open")
            } else {
                invalid += 1
                #expect(opened == nil, "tcId \(test.tcId) must be rejected")
            }
        }
        #expect(valid + invalid == file.numberOfTests)
        print("Wycheproof ChaCha20-Poly1305: \(valid + invalid) vectors (\(valid) valid, \(invalid) invalid rejected)")
    }

    struct XDHGroup: Decodable {
        struct Case: Decodable { let tcId: Int, `public`: String, `private`: String, shared: String, result: String, flags: [String] }
        let tests: [Case]
    }

    @Test func x25519() throws {
        guard let data = TestVectors.load("x25519_test.json") else { return }
        let file = try JSONDecoder().decode(File<XDHGroup>.self, from: data)
        var (valid, acceptable, zeroRejected) = (0, 0, 0)
        for test in file.testGroups.flatMap(\.tests) {
            let privateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: TestVectors.bytes(test.private))
            let expected = TestVectors.bytes(test.shared)
            let isZero = expected.allSatisfy { $0 == 0 }
            do {
                let shared = try X25519.dh(privateKey, TestVectors.bytes(test.public))
                #expect(shared == expected, "tcId \(test.tcId)")
                #expect(!isZero, "tcId \(test.tcId): all-zero shared secret accepted")
            } catch let error as SecureChannelError {
                // Only an all-zero result may be refused, and with the typed error.
                #expect(isZero && error == .lowOrderPoint, "tcId \(test.tcId): \(error)")
                if isZero { zeroRejected += 1 }
            }
            if test.result == "valid" { valid += 1 } else { acceptable += 1 }
        }
        #expect(valid + acceptable == file.numberOfTests)
        #expect(zeroRejected > 0)
        print("Wycheproof X25519: \(valid + acceptable) vectors (\(valid) valid, \(acceptable) acceptable; \(zeroRejected) low-order results rejected)")
    }

    struct EdDSAGroup: Decodable {
        struct Key: Decodable { let pk: String }
        struct Case: Decodable { let tcId: Int, msg: String, sig: String, result: String }
        let publicKey: Key
        let tests: [Case]
    }

    @Test func ed25519() throws {
        guard let data = TestVectors.load("ed25519_test.json") else { return }
        let file = try JSONDecoder().decode(File<EdDSAGroup>.self, from: data)
        var (valid, invalid) = (0, 0)
        for group in file.testGroups {
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: TestVectors.bytes(group.publicKey.pk))
            for test in group.tests {
                let accepted = key.isValidSignature(TestVectors.bytes(test.sig), for: TestVectors.bytes(test.msg))
                #expect(accepted == (test.result == "valid"), "tcId \(test.tcId)")
                if test.result == "valid" { valid += 1 } else { invalid += 1 }
            }
        }
        #expect(valid + invalid == file.numberOfTests)
        print("Wycheproof Ed25519: \(valid + invalid) vectors (\(valid) valid, \(invalid) invalid rejected)")
    }

    /// RFC 5869 appendix A (SHA-256 cases), parsed from the text file.
    @Test func hkdfRFC5869() throws {
        guard let data = TestVectors.load("rfc-5869-HKDF-SHA256.txt") else { return }
        var cases: [[String: String]] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !line.hasPrefix("#") else { continue }
            if parts[0] == "COUNT" { cases.append([:]) }
            if !cases.isEmpty { cases[cases.count - 1][parts[0]] = parts[1] }
        }
        #expect(cases.count >= 3)
        for entry in cases {
            let ikm = SymmetricKey(data: TestVectors.bytes(entry["IKM"]!))
            let (salt, info) = (TestVectors.bytes(entry["salt"]!), TestVectors.bytes(entry["info"]!))
            let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
            #expect(Array(prk) == TestVectors.bytes(entry["PRK"]!), "case \(entry["COUNT"]!) PRK")
            let okm = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputByteCount: Int(entry["L"]!)!)
            #expect(okm.withUnsafeBytes(Array.init) == TestVectors.bytes(entry["OKM"]!), "case \(entry["COUNT"]!) OKM")
        }
        print("RFC 5869 HKDF-SHA256: \(cases.count) vectors")
    }

    /// The Noise spec defines HKDF as an HMAC chain; the channel computes it with RFC 5869 HKDF.
    /// Both must agree, including for an empty input (as in `Split()`).
    @Test(arguments: [0, 32, 100])
    func noiseHKDFMatchesTheSpecsHMACChain(inputLength: Int) {
        let chainingKey = (0..<32).map { UInt8($0) }
        let input = (0..<inputLength).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let tempKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: chainingKey)))
        let first = Array(HMAC<SHA256>.authenticationCode(for: [UInt8(1)], using: tempKey))
        let second = Array(HMAC<SHA256>.authenticationCode(for: first + [2], using: tempKey))
        let (ours1, ours2) = SymmetricState.hkdf(chainingKey: chainingKey, inputKeyMaterial: input)
        #expect(ours1 == first && ours2 == second)
    }
}
