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

/// One end of an established channel: its record layer in both directions. See the README for
/// the wire format; every byte of it matters, since the other end is not yours.
public final class ChannelSession {
    /// The longest payload one data record carries.
    public static let maximumPayload = 65_000

    /// The record types (the first plaintext byte).
    enum RecordType: UInt8 {
        case data = 0x00
        case rekey = 0x01
        case end = 0x02
    }

    /// One direction: its key, the next counter, and the transcript of its data so far.
    struct Direction {
        var key: SymmetricKey
        var counter: UInt64 = 0
        var transcript: SHA256
        var ended = false

        init(key: SymmetricKey, handshakeHash: [UInt8]) {
            self.key = key
            transcript = SHA256()
            transcript.update(data: handshakeHash)
        }

        /// Noise's nonce: four zero bytes, then the counter little-endian.
        static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
            try! ChaChaPoly.Nonce(data: [0, 0, 0, 0] + littleEndian(counter))
        }

        /// Noise's REKEY: the first 32 bytes of 32 zeros sealed under the key at the largest nonce.
        mutating func rekey() {
            let sealed = try! ChaChaPoly.seal([UInt8](repeating: 0, count: 32), using: key, nonce: Self.nonce(.max))
            key = SymmetricKey(data: Array(sealed.ciphertext.prefix(32)))
        }

        mutating func record(_ payload: [UInt8]) {
            transcript.update(data: littleEndian(UInt64(payload.count)))
            transcript.update(data: payload)
        }

        var transcriptHash: [UInt8] { Array(transcript.finalize()) }
    }

    private var sending: Direction
    private var receiving: Direction
    private let signingKey: Curve25519.Signing.PrivateKey?
    private let peerSigningKey: Curve25519.Signing.PublicKey?
    private var failed = false

    /// A session from the handshake's chaining key `ck` and hash `h` (32 bytes each). With
    /// `signingKey`, this end signs its transcript in its end record; with `peerSigningKey`,
    /// the peer's end record must carry a signature that verifies over what arrived.
    public init(
        role: Role, chainingKey: [UInt8], handshakeHash: [UInt8],
        signingKey: Curve25519.Signing.PrivateKey? = nil, peerSigningKey: Curve25519.Signing.PublicKey? = nil
    ) {
        // Noise's Split: HKDF with the chaining key as salt and no input key material; its
        // extract step is swift-crypto's, the two output blocks are HMACs under the result.
        let pseudoRandomKey = SymmetricKey(data: Array(HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: [UInt8]()), salt: chainingKey)))
        let firstBytes = Array(HMAC<SHA256>.authenticationCode(for: [UInt8(1)], using: pseudoRandomKey))
        let secondBytes = Array(HMAC<SHA256>.authenticationCode(for: firstBytes + [UInt8(2)], using: pseudoRandomKey))
        let first = SymmetricKey(data: firstBytes), second = SymmetricKey(data: secondBytes)
        sending = Direction(key: role == .initiator ? first : second, handshakeHash: handshakeHash)
        receiving = Direction(key: role == .initiator ? second : first, handshakeHash: handshakeHash)
        self.signingKey = signingKey
        self.peerSigningKey = peerSigningKey
    }

    /// A data record carrying `payload`.
    public func seal(_ payload: [UInt8]) throws -> [UInt8] {
        guard payload.count <= Self.maximumPayload else { throw ChannelError.tooLarge }
        let record = try seal(.data, payload)
        sending.record(payload)
        return record
    }

    /// A rekey record; after it, this end sends under the next key.
    public func sealRekey() throws -> [UInt8] {
        let record = try seal(.rekey, [])
        sending.rekey()
        return record
    }

    /// The end record (signed in signed mode); nothing may be sent after it.
    public func sealEnd() throws -> [UInt8] {
        let signature = try signingKey.map { Array(try $0.signature(for: sending.transcriptHash)) } ?? []
        let record = try seal(.end, signature)
        sending.ended = true
        return record
    }

    private func seal(_ type: RecordType, _ body: [UInt8]) throws -> [UInt8] {
        guard !sending.ended, sending.counter < .max else { throw ChannelError.failed }
        let header = littleEndian(sending.counter)
        let sealed = try ChaChaPoly.seal([type.rawValue] + body, using: sending.key, nonce: Direction.nonce(sending.counter), authenticating: header)
        sending.counter += 1
        return header + Array(sealed.ciphertext) + Array(sealed.tag)
    }

    /// Opens the next record from the peer, or throws why it is refused.
    public func open(_ record: [UInt8]) throws -> Received {
        guard !failed else { throw ChannelError.failed }
        do {
            return try openRecord(record)
        } catch {
            failed = true
            throw error
        }
    }

    private func openRecord(_ record: [UInt8]) throws -> Received {
        guard !receiving.ended else { throw ChannelError.unexpectedRecord }
        guard record.count >= 8 + 1 + 16, receiving.counter < .max else { throw ChannelError.authenticationFailed }
        let header = Array(record[0..<8])
        // The counter on the wire is authenticated, but only the expected one may be used.
        guard header == littleEndian(receiving.counter) else { throw ChannelError.authenticationFailed }
        let plaintext: [UInt8]
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: Direction.nonce(receiving.counter), ciphertext: record[8..<(record.count - 16)], tag: record[(record.count - 16)...])
            plaintext = Array(try ChaChaPoly.open(box, using: receiving.key, authenticating: header))
        } catch {
            throw ChannelError.authenticationFailed
        }
        receiving.counter += 1
        let body = Array(plaintext.dropFirst())
        switch RecordType(rawValue: plaintext[0]) {
        case .data?:
            guard body.count <= Self.maximumPayload else { throw ChannelError.unexpectedRecord }
            receiving.record(body)
            return .data(body)
        case .rekey?:
            guard body.isEmpty else { throw ChannelError.unexpectedRecord }
            receiving.rekey()
            return .rekey
        case .end?:
            if let peerSigningKey {
                guard peerSigningKey.isValidSignature(body, for: receiving.transcriptHash) else { throw ChannelError.badSignature }
            } else {
                guard body.isEmpty else { throw ChannelError.unexpectedRecord }
            }
            receiving.ended = true
            return .end
        case nil:
            throw ChannelError.unexpectedRecord
        }
    }

    /// The peer is done sending (its transport closed): throws `truncated` unless its end record
    /// arrived.
    public func close() throws {
        guard !failed else { throw ChannelError.failed }
        guard receiving.ended else { throw ChannelError.truncated }
    }
}

/// Peer pinning: the static key the handshake authenticated must be one of these.
public enum PeerPins {
    /// Throws `unknownPeer` unless `remoteStatic` is one of `pinned`. Compares every byte of
    /// every pin, so the time taken does not say how much of a key matched.
    public static func verify(remoteStatic: [UInt8], pinned: [[UInt8]]) throws {
        var found = false
        for pin in pinned where pin.count == remoteStatic.count && remoteStatic.count == 32 {
            var difference: UInt8 = 0
            for index in pin.indices { difference |= pin[index] ^ remoteStatic[index] }
            if difference == 0 { found = true }
        }
        guard found else { throw ChannelError.unknownPeer }
    }
}

/// `value` as eight little-endian bytes.
func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}
