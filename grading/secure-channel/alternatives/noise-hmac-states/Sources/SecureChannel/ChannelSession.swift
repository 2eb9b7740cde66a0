import Crypto

// MARK: Given (keep these declarations exactly as they are)

/// Which end of the handshake this session is: the initiator sends with the first key of the
/// split, the responder with the second.
public enum Role: Sendable {
    case initiator
    case responder
}

/// What `open` found in a record.
public enum Received: Equatable, Sendable {
    /// A data record's payload.
    case data([UInt8])
    /// A rekey record: the receiving key has moved on.
    case rekey
    /// The end of the stream (in signed mode, with a signature that verified).
    case end
}

/// Why the channel refused.
public enum ChannelError: Error, Equatable, Sendable {
    /// A record did not open: tampered with, replayed, reordered, cut, or under another key.
    case authenticationFailed
    /// A record that opened but is not allowed here: an unknown type, a body on a rekey or
    /// (unsigned) end record, anything after the end.
    case unexpectedRecord
    /// The channel refused a record earlier; it refuses everything from then on.
    case failed
    /// `close()` before the end record arrived: the stream was cut short.
    case truncated
    /// The end record's signature did not verify over this session's transcript.
    case badSignature
    /// The peer's static key is not one of the pinned keys.
    case unknownPeer
    /// A payload longer than `ChannelSession.maximumPayload`.
    case tooLarge
}

// MARK: Yours

/// A second correct session, written from the Noise specification's own definitions: HKDF as
/// its HMAC chain, the state of each direction as an enum, the transcript kept as the bytes it
/// hashes, and the failure as a state rather than a flag.
public final class ChannelSession {
    public static let maximumPayload = 65_000

    private enum State {
        case open
        case ended
        case broken
    }

    private var sendKey: SymmetricKey
    private var receiveKey: SymmetricKey
    private var sent: UInt64 = 0
    private var expected: UInt64 = 0
    private var sendState = State.open
    private var receiveState = State.open
    private var sentTranscript: [UInt8]
    private var receivedTranscript: [UInt8]
    private let signer: Curve25519.Signing.PrivateKey?
    private let verifier: Curve25519.Signing.PublicKey?

    public init(
        role: Role, chainingKey: [UInt8], handshakeHash: [UInt8],
        signingKey: Curve25519.Signing.PrivateKey? = nil, peerSigningKey: Curve25519.Signing.PublicKey? = nil
    ) {
        // HKDF(ck, zerolen, 2) as Noise writes it: temp = HMAC(ck, ""), out1 = HMAC(temp, 0x01),
        // out2 = HMAC(temp, out1 || 0x02).
        let temp = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: [UInt8](), using: SymmetricKey(data: chainingKey))))
        let out1 = Array(HMAC<SHA256>.authenticationCode(for: [UInt8(1)], using: temp))
        let out2 = Array(HMAC<SHA256>.authenticationCode(for: out1 + [UInt8(2)], using: temp))
        switch role {
        case .initiator: (sendKey, receiveKey) = (SymmetricKey(data: out1), SymmetricKey(data: out2))
        case .responder: (sendKey, receiveKey) = (SymmetricKey(data: out2), SymmetricKey(data: out1))
        }
        sentTranscript = handshakeHash
        receivedTranscript = handshakeHash
        signer = signingKey
        verifier = peerSigningKey
    }

    private static func counterBytes(_ n: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = n
        for _ in 0..<8 {
            bytes.append(UInt8(rest & 0xFF))
            rest >>= 8
        }
        return bytes
    }

    private static func nonce(_ n: UInt64) throws -> ChaChaPoly.Nonce {
        try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 4) + counterBytes(n))
    }

    private static func nextKey(after key: SymmetricKey) throws -> SymmetricKey {
        let box = try ChaChaPoly.seal([UInt8](repeating: 0, count: 32), using: key, nonce: nonce(UInt64.max), authenticating: [UInt8]())
        return SymmetricKey(data: Array(box.ciphertext)[0..<32])
    }

    private func emit(_ plaintext: [UInt8]) throws -> [UInt8] {
        guard case .open = sendState, sent != UInt64.max else { throw ChannelError.failed }
        let header = Self.counterBytes(sent)
        let box = try ChaChaPoly.seal(plaintext, using: sendKey, nonce: Self.nonce(sent), authenticating: header)
        sent += 1
        var record = header
        record.append(contentsOf: box.ciphertext)
        record.append(contentsOf: box.tag)
        return record
    }

    public func seal(_ payload: [UInt8]) throws -> [UInt8] {
        if payload.count > Self.maximumPayload { throw ChannelError.tooLarge }
        let record = try emit([0x00] + payload)
        sentTranscript += Self.counterBytes(UInt64(payload.count)) + payload
        return record
    }

    public func sealRekey() throws -> [UInt8] {
        let record = try emit([0x01])
        sendKey = try Self.nextKey(after: sendKey)
        return record
    }

    public func sealEnd() throws -> [UInt8] {
        var body: [UInt8] = []
        if let signer { body = Array(try signer.signature(for: Array(SHA256.hash(data: sentTranscript)))) }
        let record = try emit([0x02] + body)
        sendState = .ended
        return record
    }

    public func open(_ record: [UInt8]) throws -> Received {
        switch receiveState {
        case .broken: throw ChannelError.failed
        case .ended:
            receiveState = .broken
            throw ChannelError.unexpectedRecord
        case .open: break
        }
        do {
            return try accept(record)
        } catch {
            receiveState = .broken
            throw error
        }
    }

    private func accept(_ record: [UInt8]) throws -> Received {
        guard record.count >= 25, expected != UInt64.max, Array(record.prefix(8)) == Self.counterBytes(expected) else {
            throw ChannelError.authenticationFailed
        }
        let ciphertext = Array(record[8..<(record.count - 16)]), tag = Array(record.suffix(16))
        guard let box = try? ChaChaPoly.SealedBox(nonce: Self.nonce(expected), ciphertext: ciphertext, tag: tag),
            let opened = try? ChaChaPoly.open(box, using: receiveKey, authenticating: Array(record.prefix(8)))
        else { throw ChannelError.authenticationFailed }
        expected += 1
        let plaintext = Array(opened)
        let body = Array(plaintext[1...])
        switch plaintext[0] {
        case 0x00 where body.count <= Self.maximumPayload:
            receivedTranscript += Self.counterBytes(UInt64(body.count)) + body
            return .data(body)
        case 0x01 where body.isEmpty:
            receiveKey = try Self.nextKey(after: receiveKey)
            return .rekey
        case 0x02:
            if let verifier {
                if !verifier.isValidSignature(body, for: Array(SHA256.hash(data: receivedTranscript))) { throw ChannelError.badSignature }
            } else if !body.isEmpty {
                throw ChannelError.unexpectedRecord
            }
            receiveState = .ended
            return .end
        default:
            throw ChannelError.unexpectedRecord
        }
    }

    public func close() throws {
        switch receiveState {
        case .ended: return
        case .broken: throw ChannelError.failed
        case .open: throw ChannelError.truncated
        }
    }
}

public enum PeerPins {
    public static func verify(remoteStatic: [UInt8], pinned: [[UInt8]]) throws {
        let matches = pinned.filter { pin in
            pin.count == 32 && remoteStatic.count == 32 && zip(pin, remoteStatic).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        }
        if matches.isEmpty { throw ChannelError.unknownPeer }
    }
}
