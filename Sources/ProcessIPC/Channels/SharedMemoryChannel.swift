#if canImport(Glibc)
import Glibc
#endif

/// A ``MessageChannel`` over two ``SharedRingBuffer``s in one ``SharedMemoryRegion``: ring 0
/// carries messages from the creator to the peer, ring 1 back.
///
/// Messages are copied into and out of the region; no system call is made while both sides
/// keep up (see ``SharedRingBuffer`` for the spin-then-futex waiting). The region is created
/// under a unique name and unlinked at once; the peer maps it from the inherited descriptor,
/// so nothing is left in `/dev/shm` even after a crash. Peer death is detected through the pids
/// the rings record, so ``peerLiveness`` is not needed (it is also checked for timeouts' sake).
public final class SharedMemoryChannel: MessageChannel {
    /// Always ``ChannelKind/sharedRing``.
    public let kind = ChannelKind.sharedRing
    /// The largest message sent, in bytes: half the ring's capacity, less a record header.
    public var maximumMessageSize: Int { outgoing.maximumMessageSize }
    /// Kept for ``MessageChannel`` but not consulted: the rings detect a dead peer from the
    /// pid it recorded.
    public var peerLiveness = PeerLiveness.assumed
    /// The region holding both rings.
    public let region: SharedMemoryRegion
    private let outgoing: SharedRingBuffer
    private let incoming: SharedRingBuffer

    /// Bytes of region two rings of `capacity` data bytes need.
    public static func regionSize(capacity: Int) -> Int { 2 * SharedRingBuffer.regionSize(capacity: capacity) }

    /// Attaches to a region formatted by ``makePair(capacity:)``.
    /// - Parameter isCreator: true on the creator's side (it sends on ring 0), false on the peer's.
    /// - Throws: ``IPCError`` `.protocolViolation` if the rings are not there.
    public init(region: SharedMemoryRegion, isCreator: Bool) throws {
        let second = region.size / 2
        self.region = region
        outgoing = try SharedRingBuffer(region: region, offset: isCreator ? 0 : second, role: .producer)
        incoming = try SharedRingBuffer(region: region, offset: isCreator ? second : 0, role: .consumer)
    }

    /// Creates a region with two rings; returns this process's end and the descriptor the peer
    /// maps (close-on-exec; pass it to ``PeerProcess``).
    /// - Parameter capacity: data bytes per direction (power of two); messages up to half of it.
    /// - Throws: ``IPCError``.
    public static func makePair(capacity: Int = 4 << 20) throws -> (local: SharedMemoryChannel, peerFD: Int32) {
        let region = try SharedMemoryRegion.create(name: IPCName.unique("channel"), size: regionSize(capacity: capacity))
        try region.unlink()
        try SharedRingBuffer.prepare(in: region, at: 0, capacity: capacity)
        try SharedRingBuffer.prepare(in: region, at: SharedRingBuffer.regionSize(capacity: capacity), capacity: capacity)
        return (try SharedMemoryChannel(region: region, isCreator: true), region.descriptor)
    }

    /// Sets how long each side spins before sleeping (see ``SharedRingBuffer/spinDuration``).
    public func setSpinDuration(_ duration: Duration) {
        outgoing.spinDuration = duration
        incoming.spinDuration = duration
    }

    /// Copies one message into the outgoing ring, blocking while it lacks space (see
    /// ``SharedRingBuffer`` for the spin-then-futex wait and memory ordering).
    /// - Parameters:
    ///   - message: The bytes; at most ``maximumMessageSize``.
    ///   - timeout: The longest time to block; nil waits while the peer lives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.timedOut`, `.peerClosed`, `.peerVanished`.
    public func send(_ message: UnsafeRawBufferPointer, timeout: Duration?) throws {
        try checkSize(message.count, "ring send")
        try outgoing.send(message, timeout: timeout)
    }

    /// Copies the next message out of the incoming ring into `buffer` (grown if needed) and
    /// returns its length, blocking while the ring is empty.
    /// - Parameters:
    ///   - buffer: Reused storage; only the first returned-count bytes are the message.
    ///   - timeout: The longest time to block; nil waits while the peer lives.
    /// - Throws: ``IPCError`` `.timedOut`, `.peerClosed` (closed and drained), `.peerVanished`,
    ///   `.protocolViolation` (a corrupt record).
    public func receive(into buffer: inout [UInt8], timeout: Duration?) throws -> Int {
        try incoming.receive(timeout: timeout) { message in
            if buffer.count < message.count { buffer = [UInt8](repeating: 0, count: message.count) }
            buffer.withUnsafeMutableBytes { target in
                if message.count > 0 { target.baseAddress!.copyMemory(from: message.baseAddress!, byteCount: message.count) }
            }
            return message.count
        }
    }

    /// Closes both rings: the peer's blocked and later calls end with
    /// ``IPCError/Code/peerClosed``, after it has drained what was sent. Safe to call twice.
    public func close() {
        outgoing.close()
        incoming.close()
    }
}
