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

    /// A session from the handshake's chaining key `ck` and hash `h` (32 bytes each). With
    /// `signingKey`, this end signs its transcript in its end record; with `peerSigningKey`,
    /// the peer's end record must carry a signature that verifies over what arrived.
    public init(
        role: Role, chainingKey: [UInt8], handshakeHash: [UInt8],
        signingKey: Curve25519.Signing.PrivateKey? = nil, peerSigningKey: Curve25519.Signing.PublicKey? = nil
    ) {
        // TODO: split the chaining key into the two directions' keys.
    }

    /// A data record carrying `payload`.
    public func seal(_ payload: [UInt8]) throws -> [UInt8] {
        throw ChannelError.failed  // TODO
    }

    /// A rekey record; after it, this end sends under the next key.
    public func sealRekey() throws -> [UInt8] {
        throw ChannelError.failed  // TODO
    }

    /// The end record (signed in signed mode); nothing may be sent after it.
    public func sealEnd() throws -> [UInt8] {
        throw ChannelError.failed  // TODO
    }

    /// Opens the next record from the peer, or throws why it is refused.
    public func open(_ record: [UInt8]) throws -> Received {
        throw ChannelError.failed  // TODO
    }

    /// The peer is done sending (its transport closed): throws `truncated` unless its end record
    /// arrived.
    public func close() throws {
        throw ChannelError.truncated  // TODO
    }
}

/// Peer pinning: the static key the handshake authenticated must be one of these.
public enum PeerPins {
    /// Throws `unknownPeer` unless `remoteStatic` is one of `pinned`.
    public static func verify(remoteStatic: [UInt8], pinned: [[UInt8]]) throws {
        throw ChannelError.unknownPeer  // TODO
    }
}
