import Crypto

/// The grader's end of a channel, written from the README's wire format: the honest peer the
/// student's session must interoperate with, and the attacker's workbench that crafts records
/// (any counter, type, body, key) the honest peer would never send.
final class ReferenceEnd {
    var sendKey: SymmetricKey
    var receiveKey: SymmetricKey
    var sent: UInt64 = 0
    var received: UInt64 = 0
    var sentTranscript: [UInt8]
    var receivedTranscript: [UInt8]
    let signer: Curve25519.Signing.PrivateKey?

    init(initiator: Bool, chainingKey: [UInt8], handshakeHash: [UInt8], signer: Curve25519.Signing.PrivateKey? = nil) {
        let keys = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: [UInt8]()), salt: chainingKey, info: [UInt8](), outputByteCount: 64)
            .withUnsafeBytes { Array($0) }
        let first = SymmetricKey(data: Array(keys[0..<32])), second = SymmetricKey(data: Array(keys[32..<64]))
        (sendKey, receiveKey) = initiator ? (first, second) : (second, first)
        sentTranscript = handshakeHash
        receivedTranscript = handshakeHash
        self.signer = signer
    }

    static func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

    static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce { try! ChaChaPoly.Nonce(data: [0, 0, 0, 0] + littleEndian(counter)) }

    static func nextKey(_ key: SymmetricKey) -> SymmetricKey {
        SymmetricKey(data: Array(try! ChaChaPoly.seal([UInt8](repeating: 0, count: 32), using: key, nonce: nonce(.max)).ciphertext.prefix(32)))
    }

    /// A record with any counter, type and body under `key`: what an attacker with the key could
    /// send (the checks use it to build records the rules forbid).
    static func craft(counter: UInt64, type: UInt8, body: [UInt8], key: SymmetricKey, associatedData: [UInt8]? = nil) -> [UInt8] {
        let header = littleEndian(counter)
        let box = try! ChaChaPoly.seal([type] + body, using: key, nonce: nonce(counter), authenticating: associatedData ?? header)
        return header + Array(box.ciphertext) + Array(box.tag)
    }

    func seal(_ payload: [UInt8]) -> [UInt8] {
        defer { sent += 1 }
        sentTranscript += Self.littleEndian(UInt64(payload.count)) + payload
        return Self.craft(counter: sent, type: 0, body: payload, key: sendKey)
    }

    func sealRekey() -> [UInt8] {
        defer { sent += 1; sendKey = Self.nextKey(sendKey) }
        return Self.craft(counter: sent, type: 1, body: [], key: sendKey)
    }

    /// The end record, signed over this direction's transcript when there is a signer.
    func sealEnd() -> [UInt8] {
        defer { sent += 1 }
        return Self.craft(counter: sent, type: 2, body: signature(over: sentTranscript), key: sendKey)
    }

    func signature(over transcript: [UInt8]) -> [UInt8] {
        guard let signer else { return [] }
        return Array(try! signer.signature(for: Array(SHA256.hash(data: transcript))))
    }

    /// What an honest receiver makes of the student's record, or why it refuses it.
    enum Opened: Equatable {
        case data([UInt8]), rekey, end(signature: [UInt8])
        case refused(String)
    }

    func open(_ record: [UInt8]) -> Opened {
        guard record.count >= 25 else { return .refused("it is \(record.count) bytes long; a record has at least 8 + 1 + 16") }
        let header = Array(record[0..<8])
        guard header == Self.littleEndian(received) else {
            return .refused("its counter is \(Self.counterText(header)); \(received) was next")
        }
        guard let box = try? ChaChaPoly.SealedBox(nonce: Self.nonce(received), ciphertext: record[8..<(record.count - 16)], tag: record[(record.count - 16)...]),
            let opened = try? ChaChaPoly.open(box, using: receiveKey, authenticating: header)
        else { return .refused("it does not open under the expected key with nonce \(received) and its header as associated data") }
        received += 1
        let plaintext = Array(opened), body = Array(plaintext.dropFirst())
        switch plaintext[0] {
        case 0:
            receivedTranscript += Self.littleEndian(UInt64(body.count)) + body
            return .data(body)
        case 1:
            guard body.isEmpty else { return .refused("it is a rekey record with a body") }
            receiveKey = Self.nextKey(receiveKey)
            return .rekey
        case 2: return .end(signature: body)
        default: return .refused("its type byte is \(plaintext[0])")
        }
    }

    static func counterText(_ header: [UInt8]) -> String {
        String(header.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    }
}

/// A deterministic generator for the checks' payloads and choices (SplitMix64).
struct CheckRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func upTo(_ bound: Int) -> Int { Int(next() % UInt64(bound + 1)) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}
