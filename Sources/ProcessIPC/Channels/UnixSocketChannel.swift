#if canImport(Glibc)
import Glibc
#endif

/// A ``MessageChannel`` over a connected Unix domain socket pair (`socketpair(AF_UNIX)`).
///
/// - ``Style/stream`` (`SOCK_STREAM`) is a byte stream: messages are length-prefixed.
/// - ``Style/seqpacket`` (`SOCK_SEQPACKET`) keeps message boundaries in the kernel; messages
///   larger than one packet (64 KiB here) are split and reassembled.
///
/// The peer's death closes its socket, so a blocked call ends with ``IPCError/Code/peerClosed``
/// (EOF or ECONNRESET) at once. Sends use MSG_NOSIGNAL, so no SIGPIPE.
public final class UnixSocketChannel: MessageChannel {
    /// The socket type.
    public enum Style: Sendable {
        /// `SOCK_STREAM`.
        case stream
        /// `SOCK_SEQPACKET`.
        case seqpacket
    }

    /// The socket type, fixed at creation.
    public let style: Style
    /// ``ChannelKind/unixStream`` or ``ChannelKind/unixSeqpacket``, after ``style``.
    public var kind: ChannelKind { style == .stream ? .unixStream : .unixSeqpacket }
    /// The largest message sent or accepted, in bytes, fixed at creation (16 MiB by default).
    public let maximumMessageSize: Int
    /// How a blocked call decides the peer died; ``PeerLiveness/assumed`` until set. The socket
    /// also reports a dead peer itself, as EOF or ECONNRESET.
    public var peerLiveness = PeerLiveness.assumed
    private var fd: Int32
    private var packets: PacketFraming
    /// Bytes per seqpacket packet.
    static let packetSize = 64 << 10

    /// Wraps a connected socket (taking ownership).
    /// - Throws: ``IPCError`` if it cannot be made non-blocking.
    public init(descriptor: Int32, style: Style, maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize) throws {
        fd = descriptor
        self.style = style
        self.maximumMessageSize = maximumMessageSize
        packets = PacketFraming(packetSize: Self.packetSize, maximumMessageSize: maximumMessageSize)
        var bufferSize: Int32 = 1 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
        try FileDescriptorIO.setNonBlocking(fd)
    }

    /// Creates a connected pair; returns this process's end and the peer's descriptor
    /// (close-on-exec; pass it to ``PeerProcess`` and then close it here).
    /// - Throws: ``IPCError`` `.systemCall`.
    public static func makePair(style: Style, maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize) throws
        -> (local: UnixSocketChannel, peerFD: Int32)
    {
        var fds: [Int32] = [-1, -1]
        let type = style == .stream ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_SEQPACKET.rawValue)
        guard socketpair(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw IPCError.system("socketpair")
        }
        fds.forEach(ResourceLedger.recordDescriptor)
        do {
            return (try UnixSocketChannel(descriptor: fds[0], style: style, maximumMessageSize: maximumMessageSize), fds[1])
        } catch {
            fds.forEach { _ = Glibc.close($0) }
            throw error
        }
    }

    /// Sends one message (length-prefixed on a stream, as packets on seqpacket), blocking while
    /// the socket buffer is full.
    ///
    /// A timeout or error part-way through a message leaves the channel out of frame: close it.
    /// - Parameters:
    ///   - message: The bytes; at most ``maximumMessageSize``.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.peerClosed`, `.peerVanished`, `.timedOut`,
    ///   `.systemCall`.
    public func send(_ message: UnsafeRawBufferPointer, timeout: Duration?) throws {
        try checkSize(message.count, "socket send")
        guard fd >= 0 else { throw IPCError(.peerClosed, "socket send", detail: "this end is closed") }
        let deadline = Deadline(after: timeout)
        switch style {
        case .stream:
            try StreamFraming(readFD: fd, writeFD: fd, isSocket: true, maximumMessageSize: maximumMessageSize)
                .send(message, deadline: deadline, liveness: peerLiveness)
        case .seqpacket:
            try packets.send(message, over: SocketPackets(fd: fd), deadline: deadline, liveness: peerLiveness)
        }
    }

    /// Receives one message into `buffer` (grown if needed) and returns its length, blocking
    /// while nothing has arrived.
    ///
    /// A timeout part-way through a message leaves the channel out of frame: close it.
    /// - Parameters:
    ///   - buffer: Reused storage; only the first returned-count bytes are the message.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.peerClosed` (EOF or ECONNRESET),
    ///   `.peerVanished`, `.timedOut`, `.protocolViolation`, `.systemCall`.
    public func receive(into buffer: inout [UInt8], timeout: Duration?) throws -> Int {
        guard fd >= 0 else { throw IPCError(.peerClosed, "socket receive", detail: "this end is closed") }
        let deadline = Deadline(after: timeout)
        switch style {
        case .stream:
            return try StreamFraming(readFD: fd, writeFD: fd, isSocket: true, maximumMessageSize: maximumMessageSize)
                .receive(into: &buffer, deadline: deadline, liveness: peerLiveness)
        case .seqpacket:
            return try packets.receive(into: &buffer, over: SocketPackets(fd: fd), deadline: deadline, liveness: peerLiveness)
        }
    }

    /// Closes the socket; the peer's calls then end with ``IPCError/Code/peerClosed``. Safe to
    /// call twice; also done on deinit.
    public func close() { FileDescriptorIO.closeOnce(&fd) }

    deinit { close() }
}

/// One seqpacket socket as a ``PacketTransport``.
private struct SocketPackets: PacketTransport {
    let fd: Int32
    var packetSize: Int { UnixSocketChannel.packetSize }

    func sendPacket(_ packet: UnsafeRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws {
        while true {
            let sent = Glibc.send(fd, packet.baseAddress, packet.count, Int32(MSG_NOSIGNAL))
            if sent == packet.count { return }
            guard sent < 0, errno == EAGAIN || errno == EINTR else { throw IPCError.system("seqpacket send") }
            _ = try FileDescriptorIO.waitReady(fd, Int16(POLLOUT), deadline: deadline, liveness: liveness, operation: "seqpacket send")
        }
    }

    func receivePacket(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws -> Int {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return count }
            if count == 0 { throw IPCError(.peerClosed, "seqpacket receive", detail: "end of file") }
            guard errno == EAGAIN || errno == EINTR else { throw IPCError.system("seqpacket receive") }
            _ = try FileDescriptorIO.waitReady(fd, Int16(POLLIN), deadline: deadline, liveness: liveness, operation: "seqpacket receive")
        }
    }
}
