import ProcessIPC

/// Moves whole messages between two parties, in order; what ``SecureChannel`` runs over.
///
/// A transport makes no security promise: it may be an attacker. Implementations must be safe to
/// call `send` from one thread while another calls `receive`.
public protocol MessageTransport: Sendable {
    /// Sends one whole message. May block until the message is handed to the peer.
    /// - Throws: ``TransportError`` when the transport is closed or broken.
    func send(_ message: [UInt8]) throws

    /// Receives the next whole message, blocking until one arrives.
    /// - Returns: the message, or `nil` when the peer closed its sending side cleanly.
    /// - Throws: ``TransportError`` when the transport is broken or a wait timed out.
    func receive() throws -> [UInt8]?

    /// Closes this side's sending direction; the peer's `receive` returns `nil` after it has
    /// drained what was sent. Idempotent.
    func close()
}

/// Why a transport failed.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `send` after `close()`, or the peer is gone.
    case closed
    /// `receive` waited longer than the transport's timeout.
    case timedOut
    /// A message does not fit the framing: more than `limit` bytes (65535 with a 2-byte length).
    case messageTooLarge(size: Int, limit: Int = 0xFFFF)
    /// The byte stream ended inside a frame.
    case truncatedFrame
    /// A system call failed.
    case system(operation: String, errno: Int32)
    /// The ProcessIPC channel underneath failed (see ``MessageChannelTransport``): the peer
    /// process vanished, the shared layout is wrong, or a system call failed. The error says
    /// what to do.
    case channel(IPCError)

    /// What failed, with a hint at the cause or the fix where one helps.
    public var description: String {
        switch self {
        case .closed: "transport is closed"
        case .timedOut: "timed out waiting for the peer; is it running and speaking the same framing?"
        case .messageTooLarge(let size, let limit): "message of \(size) bytes exceeds the \(limit)-byte frame limit; send smaller messages"
        case .truncatedFrame: "stream ended in the middle of a frame"
        case .system(let operation, let code): "\(operation) failed with errno \(code)"
        case .channel(let error): error.description
        }
    }
}
