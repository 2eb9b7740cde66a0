/// A bidirectional, message-framed connection to one peer process.
///
/// Implementations: ``PipeChannel`` (two pipes), ``UnixSocketChannel`` (stream or seqpacket
/// socket pair), ``MessageQueueChannel`` (two POSIX message queues) and ``SharedMemoryChannel``
/// (two shared rings). Every message arrives whole and in order, or an error says why not:
///
/// - ``IPCError/Code/messageTooLarge``: the message exceeds ``maximumMessageSize`` (sending),
///   or the peer announced one that does (receiving).
/// - ``IPCError/Code/peerClosed``: the peer closed its end (EOF, EPIPE, close flag).
/// - ``IPCError/Code/peerVanished``: the peer process died (checked about every 20 ms while
///   blocked, through ``peerLiveness`` or the mechanism's own signal).
/// - ``IPCError/Code/timedOut``: nothing happened within the timeout.
///
/// Blocking: `send` blocks while the transport is full, `receive` while it is empty, each for at
/// most its timeout (nil: as long as the peer lives). Not thread-safe: one sender and one
/// receiver thread at a time per end.
public protocol MessageChannel: AnyObject {
    /// The mechanism, for reports.
    var kind: ChannelKind { get }
    /// The largest message this channel sends or accepts, in bytes.
    var maximumMessageSize: Int { get }
    /// How a blocked call decides the peer died (set it after spawning the peer).
    var peerLiveness: PeerLiveness { get set }

    /// Sends one message.
    /// - Parameters:
    ///   - message: the bytes; at most ``maximumMessageSize``.
    ///   - timeout: the longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError``.
    func send(_ message: UnsafeRawBufferPointer, timeout: Duration?) throws

    /// Receives one message into `buffer`, growing it if needed; returns the message length.
    /// - Parameters:
    ///   - buffer: reused storage; only the first returned-count bytes are the message.
    ///   - timeout: the longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError``.
    func receive(into buffer: inout [UInt8], timeout: Duration?) throws -> Int

    /// Closes this end; the peer's pending and later calls end with ``IPCError/Code/peerClosed``.
    /// Releases every descriptor or mapping. Safe to call twice.
    func close()
}

extension MessageChannel {
    /// Sends one message copied from an array.
    /// - Throws: ``IPCError``.
    public func send(_ message: [UInt8], timeout: Duration? = nil) throws {
        try message.withUnsafeBytes { try send($0, timeout: timeout) }
    }

    /// Receives one message as a new array.
    /// - Throws: ``IPCError``.
    public func receive(timeout: Duration? = nil) throws -> [UInt8] {
        var buffer: [UInt8] = []
        let count = try receive(into: &buffer, timeout: timeout)
        return Array(buffer[0..<count])
    }

    /// Checks a message size against ``maximumMessageSize``.
    func checkSize(_ count: Int, _ operation: String) throws {
        guard count <= maximumMessageSize else {
            throw IPCError(.messageTooLarge, operation, detail: "\(count) bytes, maximum \(maximumMessageSize)")
        }
    }
}

/// The message-passing mechanisms this module offers.
public enum ChannelKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Two anonymous pipes (one per direction), length-prefixed framing.
    case pipe
    /// A `SOCK_STREAM` Unix domain socket pair, length-prefixed framing.
    case unixStream = "unix-stream"
    /// A `SOCK_SEQPACKET` Unix domain socket pair: the kernel keeps message boundaries.
    case unixSeqpacket = "unix-seqpacket"
    /// Two POSIX message queues (one per direction).
    case messageQueue = "mqueue"
    /// Two ``SharedRingBuffer``s in one shared memory region.
    case sharedRing = "shared-ring"

    /// A short human name.
    public var description: String {
        switch self {
        case .pipe: "pipe"
        case .unixStream: "Unix socket (stream)"
        case .unixSeqpacket: "Unix socket (seqpacket)"
        case .messageQueue: "POSIX message queue"
        case .sharedRing: "shared-memory ring"
        }
    }

    /// The framing limit every channel uses unless told otherwise (16 MiB).
    public static let defaultMaximumMessageSize = 16 << 20
}
