import Foundation
import ProcessIPC

/// A ``MessageTransport`` over any ProcessIPC `MessageChannel`, so a ``SecureChannel`` runs
/// between two real processes over a pipe, a Unix socket, a POSIX message queue or a
/// shared-memory ring.
///
/// A `MessageChannel` closes both directions at once, but ``MessageTransport/close()`` closes
/// only the sending one (``SecureChannel/finish()`` still reads the peer's end-of-stream record
/// afterwards). So each message travels with a one-byte marker in front: `0` data, `1` end of
/// stream. ``close()`` sends the end-of-stream marker; once this side has sent its marker and
/// received the peer's, the channel itself is closed and its descriptors or mapping released;
/// otherwise that happens when the transport is released. (A ``SecureChannel`` returns `nil` at
/// the peer's end-of-stream record without reading the marker behind it; one more `receive`
/// takes it.)
/// Both ends must therefore be a `MessageChannelTransport` (a relay in between may forward the
/// messages untouched).
///
/// Errors map as ``MessageTransport`` expects:
/// - the peer's end-of-stream marker, or the peer closing its channel (`IPCError.Code.peerClosed`),
///   makes ``receive()`` return `nil`; a ``SecureChannel`` still reports truncation when its own
///   end-of-stream record is missing;
/// - `peerClosed` while sending, or any call after the channel was closed: ``TransportError/closed``;
/// - `timedOut`: ``TransportError/timedOut``;
/// - a message over the channel's limit: ``TransportError/messageTooLarge(size:limit:)``;
/// - anything else (the peer process vanished, a system call failed, a malformed message):
///   ``TransportError/channel(_:)`` carrying the `IPCError`, which says what to do.
///
/// Blocking: `send` blocks while the channel is full and `receive` while it is empty, each for at
/// most the timeout given at creation (nil: as long as the channel's `peerLiveness` says the peer
/// lives). One thread may send while another receives; calls in the same direction are serialized.
public final class MessageChannelTransport: MessageTransport, @unchecked Sendable {
    // Safe to share: the channel is used by at most one sender (under `sendLock`) and one receiver
    // (under `receiveLock`) at a time, which is exactly what `MessageChannel` allows; the direction
    // flags live under their direction's lock and the "both directions ended" count under `stateLock`.
    private enum Marker: UInt8 {
        case data = 0
        case endOfStream = 1
    }

    /// The largest message ``send(_:)`` accepts: the channel's limit less the marker byte.
    public let maximumMessageSize: Int
    private let channel: any MessageChannel
    private let timeout: Duration?
    private let sendLock = NSLock()
    private let receiveLock = NSLock()
    private let stateLock = NSLock()
    private var sendClosed = false
    private var receiveEnded = false
    private var endedDirections = 0
    private var sendBuffer: [UInt8] = []
    private var receiveBuffer: [UInt8] = []

    /// Wraps a channel end, taking it over: nothing else may send or receive on it afterwards,
    /// and releasing the transport closes it.
    /// - Parameters:
    ///   - channel: this process's end, for example `ChannelPair.local`, `PeerSession.channel`
    ///     or the result of `ChannelKind.openPeerEnd(_:)`; set its `peerLiveness` first when the
    ///     peer is another process, so a dead peer ends a blocked call.
    ///   - timeout: the longest any one `send` or `receive` blocks; nil waits as long as the peer lives.
    public init(_ channel: any MessageChannel, timeout: Duration? = nil) {
        self.channel = channel
        self.timeout = timeout
        maximumMessageSize = channel.maximumMessageSize - 1
    }

    deinit {
        if endedDirections < 2 { channel.close() }
    }

    /// Sends one whole message. Blocks while the channel is full (at most the timeout).
    /// - Throws: ``TransportError/closed`` after ``close()`` or when the peer closed its end,
    ///   ``TransportError/messageTooLarge(size:limit:)``, ``TransportError/timedOut``, or
    ///   ``TransportError/channel(_:)``.
    public func send(_ message: [UInt8]) throws {
        guard message.count <= maximumMessageSize else {
            throw TransportError.messageTooLarge(size: message.count, limit: maximumMessageSize)
        }
        try sendLock.withLock {
            guard !sendClosed else { throw TransportError.closed }
            sendBuffer.removeAll(keepingCapacity: true)
            sendBuffer.append(Marker.data.rawValue)
            sendBuffer.append(contentsOf: message)
            do {
                try channel.send(sendBuffer, timeout: timeout)
            } catch {
                throw Self.transportError(error)
            }
        }
    }

    /// Receives the next whole message. Blocks while the channel is empty (at most the timeout).
    /// - Returns: the message, or `nil` once the peer sent its end-of-stream marker or closed
    ///   its channel.
    /// - Throws: ``TransportError/timedOut`` or ``TransportError/channel(_:)`` (the peer process
    ///   vanished, or a message without a valid marker arrived).
    public func receive() throws -> [UInt8]? {
        let (message, endedNow): ([UInt8]?, Bool) = try receiveLock.withLock {
            guard !receiveEnded else { return (nil, false) }
            let count: Int
            do {
                count = try channel.receive(into: &receiveBuffer, timeout: timeout)
            } catch let error as IPCError where error.code == .peerClosed {
                receiveEnded = true
                return (nil, true)
            } catch {
                throw Self.transportError(error)
            }
            switch count > 0 ? Marker(rawValue: receiveBuffer[0]) : nil {
            case .data:
                return (Array(receiveBuffer[1..<count]), false)
            case .endOfStream:
                receiveEnded = true
                return (nil, true)
            case nil:
                throw TransportError.channel(
                    IPCError(
                        .protocolViolation, "\(channel.kind) transport receive",
                        detail: "a \(count)-byte message without a data or end-of-stream marker; both ends must use MessageChannelTransport"))
            }
        }
        if endedNow { directionEnded() }
        return message
    }

    /// Sends the end-of-stream marker (waiting at most the timeout if the channel is full); the
    /// peer's ``receive()`` returns `nil` after the messages sent before it. If the marker cannot
    /// be sent and no `receive` is running, the channel is closed outright, which the peer also
    /// sees as the end. Idempotent.
    public func close() {
        let first: Bool = sendLock.withLock {
            guard !sendClosed else { return false }
            sendClosed = true
            return true
        }
        guard first else { return }
        do {
            try sendLock.withLock { try channel.send([Marker.endOfStream.rawValue], timeout: timeout) }
        } catch {
            // Closing under a running receive would pull the descriptor from under it; then the
            // channel closes when that receive ends, or when this transport is released.
            if receiveLock.try() {
                defer { receiveLock.unlock() }
                if !receiveEnded {
                    receiveEnded = true
                    directionEnded()
                }
            }
        }
        directionEnded()
    }

    /// Counts a direction as finished; closes the channel once both are (no call uses it then).
    private func directionEnded() {
        let both = stateLock.withLock {
            endedDirections += 1
            return endedDirections == 2
        }
        if both { channel.close() }
    }

    static func transportError(_ error: any Error) -> any Error {
        guard let error = error as? IPCError else { return error }
        switch error.code {
        case .peerClosed: return TransportError.closed
        case .timedOut: return TransportError.timedOut
        default: return TransportError.channel(error)
        }
    }
}
