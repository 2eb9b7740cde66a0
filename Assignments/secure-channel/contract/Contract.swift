/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. Keys cross as bytes, and
/// a refusal crosses as "refused" alone: no text of the student's reaches the checks.

/// Which end of the handshake a session is.
public enum RoleUnderTest: Swift.Sendable, Swift.Equatable {
    case initiator
    case responder
}

/// What the student's session made of a record.
public enum ReceivedUnderTest: Swift.Equatable, Swift.Sendable, Swift.CustomStringConvertible {
    case data([Swift.UInt8])
    case rekey
    case end

    public var description: Swift.String {
        switch self {
        case .data(let bytes): "a data record of \(bytes.count) bytes"
        case .rekey: "a rekey record"
        case .end: "the end record"
        }
    }
}

/// One end of a channel, as the checks drive it. `nil` from a method means the session refused.
public protocol SessionUnderTest: AnyObject, Swift.Sendable {
    func seal(_ payload: [Swift.UInt8]) -> [Swift.UInt8]?
    func sealRekey() -> [Swift.UInt8]?
    func sealEnd() -> [Swift.UInt8]?
    func open(_ record: [Swift.UInt8]) -> ReceivedUnderTest?
    /// Whether `close()` accepted the end of the stream.
    func close() -> Swift.Bool
}

/// How the adapter builds the student's types.
public protocol SecureChannelImplementation {
    /// A session; the signing keys are Ed25519 raw keys (32 bytes), or nil.
    static func makeSession(
        role: RoleUnderTest, chainingKey: [Swift.UInt8], handshakeHash: [Swift.UInt8], signingKey: [Swift.UInt8]?, peerSigningKey: [Swift.UInt8]?
    ) -> any SessionUnderTest
    /// Whether pinning accepts `remoteStatic`.
    static func verifyPeer(remoteStatic: [Swift.UInt8], pinned: [[Swift.UInt8]]) -> Swift.Bool
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any SecureChannelImplementation.Type)!

    /// A session of the student's.
    public static func makeSession(
        role: RoleUnderTest, chainingKey: [Swift.UInt8], handshakeHash: [Swift.UInt8], signingKey: [Swift.UInt8]? = nil, peerSigningKey: [Swift.UInt8]? = nil
    ) -> any SessionUnderTest {
        implementation.makeSession(role: role, chainingKey: chainingKey, handshakeHash: handshakeHash, signingKey: signingKey, peerSigningKey: peerSigningKey)
    }

    /// The student's pinning decision.
    public static func verifyPeer(remoteStatic: [Swift.UInt8], pinned: [[Swift.UInt8]]) -> Swift.Bool {
        implementation.verifyPeer(remoteStatic: remoteStatic, pinned: pinned)
    }
}
