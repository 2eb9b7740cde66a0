import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// A ``MessageChannel`` over two POSIX message queues (`mq_open`), one per direction.
///
/// The queues are created under unique names, opened, and unlinked at once: they live as long
/// as a descriptor refers to them, so a crash never leaves one behind. On Linux a queue
/// descriptor is a file descriptor, which is how the peer inherits it (``PeerProcess`` passes
/// it) and how `poll` waits on it.
///
/// Messages larger than the queue's message size are split (see ``MessageChannel``). A queue
/// has no end-of-file: ``close()`` sends a close marker when it can, and a blocked call checks
/// ``peerLiveness`` about every 20 ms, so a killed peer ends in ``IPCError/Code/peerVanished``.
public final class MessageQueueChannel: MessageChannel {
    /// Always ``ChannelKind/messageQueue``.
    public let kind = ChannelKind.messageQueue
    /// The largest message sent or accepted, in bytes, fixed at creation (16 MiB by default);
    /// it may exceed the queue's message size, since messages are split.
    public let maximumMessageSize: Int
    /// How a blocked call decides the peer died; ``PeerLiveness/assumed`` until set. A queue
    /// has no EOF, so set it (for example ``PeerLiveness/process(_:)``) or use timeouts.
    public var peerLiveness = PeerLiveness.assumed
    private var receiveQueue: Int32
    private var sendQueue: Int32
    private var packets: PacketFraming
    private let packetSize: Int

    /// Wraps queue descriptors (taking ownership).
    /// - Throws: ``IPCError`` if the queue attributes cannot be read.
    public init(receiveQueue: Int32, sendQueue: Int32, maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize) throws {
        self.receiveQueue = receiveQueue
        self.sendQueue = sendQueue
        self.maximumMessageSize = maximumMessageSize
        var attributes = mq_attr()
        guard mq_getattr(sendQueue, &attributes) == 0 else { throw IPCError.system("mq_getattr") }
        packetSize = Int(attributes.mq_msgsize)
        packets = PacketFraming(packetSize: packetSize, maximumMessageSize: maximumMessageSize)
    }

    /// Creates, opens and unlinks two queues; returns this process's end and the peer's
    /// descriptors (receive, send — close-on-exec; pass them to ``PeerProcess``, then close here).
    /// - Parameters:
    ///   - capacity: messages each queue holds (Linux limit `/proc/sys/fs/mqueue/msg_max`, 10 by default).
    ///   - messageSize: bytes per queue message (limit `/proc/sys/fs/mqueue/msgsize_max`, 8192 by default).
    /// - Throws: ``IPCError`` `.systemCall` (EINVAL or EMFILE when over the limits).
    public static func makePair(
        capacity: Int = 10, messageSize: Int = 8192, maximumMessageSize: Int = ChannelKind.defaultMaximumMessageSize
    ) throws -> (local: MessageQueueChannel, peerReceiveQueue: Int32, peerSendQueue: Int32) {
        let toPeer = try openUnlinked(IPCName.unique("mq-a"), capacity: capacity, messageSize: messageSize)
        let fromPeer: Int32
        do {
            fromPeer = try openUnlinked(IPCName.unique("mq-b"), capacity: capacity, messageSize: messageSize)
        } catch {
            Glibc.close(toPeer)
            throw error
        }
        do {
            let local = try MessageQueueChannel(receiveQueue: fromPeer, sendQueue: toPeer, maximumMessageSize: maximumMessageSize)
            let peerReceive = fcntl(toPeer, F_DUPFD_CLOEXEC, 3)
            let peerSend = fcntl(fromPeer, F_DUPFD_CLOEXEC, 3)
            [peerReceive, peerSend].forEach(ResourceLedger.recordDescriptor)
            return (local, peerReceive, peerSend)
        } catch {
            Glibc.close(toPeer)
            Glibc.close(fromPeer)
            throw error
        }
    }

    private static func openUnlinked(_ name: String, capacity: Int, messageSize: Int) throws -> Int32 {
        let fd = turnstile_mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0o600, capacity, messageSize)
        guard fd >= 0 else { throw IPCError.system("mq_open \(name) (\(capacity) × \(messageSize) bytes)") }
        ResourceLedger.recordMessageQueue(name)
        ResourceLedger.recordDescriptor(fd)
        mq_unlink(name)
        return fd
    }

    /// Sends one message as one or more queue messages, blocking while the queue is full.
    ///
    /// A timeout or error part-way through a split message leaves the channel out of frame:
    /// close it.
    /// - Parameters:
    ///   - message: The bytes; at most ``maximumMessageSize``.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.peerClosed` (this end closed),
    ///   `.peerVanished`, `.timedOut`, `.systemCall`.
    public func send(_ message: UnsafeRawBufferPointer, timeout: Duration?) throws {
        try checkSize(message.count, "queue send")
        guard sendQueue >= 0 else { throw IPCError(.peerClosed, "queue send", detail: "this end is closed") }
        try packets.send(message, over: queue(sendQueue), deadline: Deadline(after: timeout), liveness: peerLiveness)
    }

    /// Receives one message, reassembling its queue messages into `buffer` (grown if needed);
    /// returns its length. Blocks while the queue is empty.
    ///
    /// A timeout part-way through a split message leaves the channel out of frame: close it.
    /// - Parameters:
    ///   - buffer: Reused storage; only the first returned-count bytes are the message.
    ///   - timeout: The longest time to block; nil means as long as the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.peerClosed` (the peer's close marker, or
    ///   this end closed), `.peerVanished`, `.timedOut`, `.protocolViolation`, `.systemCall`.
    public func receive(into buffer: inout [UInt8], timeout: Duration?) throws -> Int {
        guard receiveQueue >= 0 else { throw IPCError(.peerClosed, "queue receive", detail: "this end is closed") }
        return try packets.receive(
            into: &buffer, over: queue(receiveQueue), deadline: Deadline(after: timeout), liveness: peerLiveness)
    }

    private func queue(_ fd: Int32) -> QueuePackets { QueuePackets(fd: fd, packetSize: packetSize) }

    /// Sends the peer a close marker without waiting (it is lost when the queue is full, and the
    /// peer then notices only through its liveness check or timeout), then closes both queue
    /// descriptors. Safe to call twice; also done on deinit.
    public func close() {
        if sendQueue >= 0 {
            // Best effort: tell the peer, without waiting if the queue is full.
            _ = try? packets.send(
                UnsafeRawBufferPointer(start: nil, count: 0), kind: PacketFraming.closeKind, over: queue(sendQueue),
                deadline: Deadline(after: .zero), liveness: .assumed)
        }
        FileDescriptorIO.closeOnce(&receiveQueue)
        FileDescriptorIO.closeOnce(&sendQueue)
    }

    deinit { close() }
}

/// One non-blocking queue descriptor as a ``PacketTransport``.
private struct QueuePackets: PacketTransport {
    let fd: Int32
    let packetSize: Int

    func sendPacket(_ packet: UnsafeRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws {
        while mq_send(fd, packet.baseAddress!.assumingMemoryBound(to: CChar.self), packet.count, 0) != 0 {
            guard errno == EAGAIN || errno == EINTR else { throw IPCError.system("mq_send") }
            _ = try FileDescriptorIO.waitReady(fd, Int16(POLLOUT), deadline: deadline, liveness: liveness, operation: "queue send")
        }
    }

    func receivePacket(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws -> Int {
        while true {
            let count = mq_receive(fd, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count, nil)
            if count >= 0 { return count }
            guard errno == EAGAIN || errno == EINTR else { throw IPCError.system("mq_receive") }
            _ = try FileDescriptorIO.waitReady(fd, Int16(POLLIN), deadline: deadline, liveness: liveness, operation: "queue receive")
        }
    }
}
