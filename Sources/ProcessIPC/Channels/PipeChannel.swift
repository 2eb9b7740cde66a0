import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// A ``MessageChannel`` over two anonymous pipes, one per direction.
///
/// A pipe is a byte stream, so messages are length-prefixed (see ``MessageChannel``). Pipes
/// deliver EOF when the peer's write end closes — also when the peer dies — so a vanished peer
/// shows up as ``IPCError/Code/peerClosed`` at once.
///
/// Writing to a pipe whose reader is gone raises SIGPIPE; creating a pipe channel sets SIGPIPE
/// to ignored for the whole process, so the write fails with EPIPE instead.
public final class PipeChannel: MessageChannel {
    /// Always ``ChannelKind/pipe``.
    public let kind = ChannelKind.pipe
    /// The largest message sent or accepted, in bytes, fixed at creation (16 MiB by default).
    public let maximumMessageSize: Int
    /// How a blocked call decides the peer died; ``PeerLiveness/assumed`` until set. A pipe
    /// also reports a dead peer itself, as EOF.
    public var peerLiveness = PeerLiveness.assumed
    private var readFD: Int32
    private var writeFD: Int32

    /// Wraps descriptors (taking ownership): `readFD` from the peer, `writeFD` to it.
    /// - Throws: ``IPCError`` if they cannot be made non-blocking.
    public init(readFD: Int32, writeFD: Int32, maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize) throws {
        self.readFD = readFD
        self.writeFD = writeFD
        self.maximumMessageSize = maximumMessageSize
        signal(SIGPIPE, SIG_IGN)
        try FileDescriptorIO.setNonBlocking(readFD)
        try FileDescriptorIO.setNonBlocking(writeFD)
    }

    /// Creates the two pipes and returns this process's end plus the peer's descriptors
    /// (all close-on-exec; pass the peer's to ``PeerProcess`` and then close them here).
    /// - Throws: ``IPCError`` `.systemCall` (EMFILE when out of descriptors).
    public static func makePair(maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize) throws -> (
        local: PipeChannel, peerReadFD: Int32, peerWriteFD: Int32
    ) {
        var toPeer: [Int32] = [-1, -1]
        var fromPeer: [Int32] = [-1, -1]
        guard turnstile_pipe_cloexec(&toPeer) == 0 else { throw IPCError.system("pipe2") }
        guard turnstile_pipe_cloexec(&fromPeer) == 0 else {
            Glibc.close(toPeer[0])
            Glibc.close(toPeer[1])
            throw IPCError.system("pipe2")
        }
        (toPeer + fromPeer).forEach(ResourceLedger.recordDescriptor)
        // Grow the pipes from 64 KiB to 1 MiB (the default unprivileged limit) so large messages
        // take fewer wake-ups; failure only costs speed.
        _ = turnstile_set_pipe_size(toPeer[1], 1 << 20)
        _ = turnstile_set_pipe_size(fromPeer[1], 1 << 20)
        do {
            let local = try PipeChannel(readFD: fromPeer[0], writeFD: toPeer[1], maximumMessageSize: maximumMessageSize)
            return (local, toPeer[0], fromPeer[1])
        } catch {
            (toPeer + fromPeer).forEach { _ = Glibc.close($0) }
            throw error
        }
    }

    private var framing: StreamFraming {
        StreamFraming(readFD: readFD, writeFD: writeFD, isSocket: false, maximumMessageSize: maximumMessageSize)
    }

    /// Writes a 4-byte length and then the message, blocking while the pipe is full.
    ///
    /// A timeout or error part-way through leaves the stream out of frame: close the channel.
    /// - Parameters:
    ///   - message: The bytes; at most ``maximumMessageSize``.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.peerClosed` (this end closed, or EPIPE),
    ///   `.peerVanished`, `.timedOut`, `.systemCall`.
    public func send(_ message: UnsafeRawBufferPointer, timeout: Duration?) throws {
        try checkSize(message.count, "pipe send")
        guard writeFD >= 0 else { throw IPCError(.peerClosed, "pipe send", detail: "this end is closed") }
        try framing.send(message, deadline: Deadline(after: timeout), liveness: peerLiveness)
    }

    /// Reads one length-prefixed message into `buffer`, growing it if needed; returns its length.
    ///
    /// Blocks while the pipe is empty. A timeout part-way through a message leaves the stream
    /// out of frame: close the channel.
    /// - Parameters:
    ///   - buffer: Reused storage; only the first returned-count bytes are the message.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge` (announced length), `.peerClosed` (EOF),
    ///   `.peerVanished`, `.timedOut`, `.systemCall`.
    public func receive(into buffer: inout [UInt8], timeout: Duration?) throws -> Int {
        guard readFD >= 0 else { throw IPCError(.peerClosed, "pipe receive", detail: "this end is closed") }
        return try framing.receive(into: &buffer, deadline: Deadline(after: timeout), liveness: peerLiveness)
    }

    /// Closes both pipe ends: the peer's reads then see EOF and its writes EPIPE. Safe to call
    /// twice; also done on deinit.
    public func close() {
        FileDescriptorIO.closeOnce(&readFD)
        FileDescriptorIO.closeOnce(&writeFD)
    }

    deinit { close() }
}
