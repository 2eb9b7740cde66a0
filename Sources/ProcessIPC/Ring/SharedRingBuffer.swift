import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// A bounded single-producer, single-consumer message ring inside a ``SharedMemoryRegion``.
///
/// One process attaches as ``Role/producer``, another as ``Role/consumer``; messages are
/// variable-length byte strings up to ``maximumMessageSize`` (half the capacity, less a header).
///
/// - Blocking: ``send(count:timeout:_:)`` blocks while the ring is full, ``receive(timeout:_:)``
///   while it is empty. A waiter first spins for ``spinDuration`` (cheap when the peer is running
///   on another core; after the first fifth it calls `sched_yield` between rounds, so a peer
///   waiting for this CPU gets it), then sleeps on a futex in the region; the other side wakes it
///   only when it announced it is sleeping, so the fast path makes no system call.
/// - Peer death: sleeps last at most ~20 ms before checking the other side's pid (stored in the
///   header); a dead peer raises ``IPCError/Code/peerVanished``, an orderly ``close()``
///   ``IPCError/Code/peerClosed`` (after the consumer drains what was sent).
/// - Memory ordering: publishing a record is a sequentially consistent store of the tail after
///   the payload is written, so a receiver that sees the tail sees the whole message; the
///   consumer's head store likewise releases the space back.
/// - Fairness: not applicable (one producer, one consumer). For many producers use
///   ``MultiProducerRing``.
///
/// Not thread-safe: each side is used by one thread at a time.
public final class SharedRingBuffer {
    /// Which end of the ring this object is.
    public enum Role: String, Sendable { case producer, consumer }

    /// The role this object plays.
    public let role: Role
    /// Data bytes in the ring (a power of two).
    public let capacity: Int
    /// The largest message ``send(count:timeout:_:)`` accepts.
    public var maximumMessageSize: Int { capacity / 2 - RingHeader.recordHeaderSize }
    /// How long a waiter spins before sleeping on the futex (zero: sleep at once).
    public var spinDuration: Duration = .microseconds(100)
    /// How a waiting end learns that the other end's process died. Nil (the default): from the
    /// pid the other end stored in the header, which means something only when both processes
    /// share a PID namespace. Set it when they do not (a peer in a sandbox of its own), for
    /// example to a check of a descriptor or of a process the caller knows; it is asked between
    /// sleeps of about 20 ms, on the waiting thread.
    public var peerLiveness: PeerLiveness?
    /// Bytes published and not yet consumed, wrap records included (a snapshot: the other end
    /// may change it at once). Zero means empty.
    public var usedBytes: Int { Int(truncatingIfNeeded: header.tail.loadSequential() &- header.head.loadSequential()) }

    let region: SharedMemoryRegion
    let header: RingHeader
    private let mask: UInt64
    private var closed = false
    /// Whether releasing this object closes its end (not for one of many producers).
    var closesOnRelease = true
    /// Whether the producer side has finished for good (the consumer's view).
    var producersFinished: (RingHeader) -> Bool = { $0.producerClosed.loadAcquiring() != 0 }
    /// Throws when the producer side died (the consumer's liveness check).
    var producersAlive: (RingHeader) throws -> Void = { try SharedRingBuffer.checkPID($0.producerPID) }

    /// Bytes of region a ring with `capacity` data bytes occupies.
    public static func regionSize(capacity: Int) -> Int { RingHeader.dataOffset + capacity }

    /// Formats an empty ring at `offset` in `region` (the creator does this once, before peers
    /// attach) and attaches to it.
    /// - Parameters:
    ///   - capacity: data bytes, a power of two from 64 up to what fits in the region.
    /// - Throws: ``IPCError`` `.invalidSize` if the capacity is wrong or does not fit.
    public static func format(
        in region: SharedMemoryRegion, at offset: Int = 0, capacity: Int, role: Role
    ) throws -> SharedRingBuffer {
        try prepare(in: region, at: offset, capacity: capacity)
        return try SharedRingBuffer(region: region, offset: offset, role: role)
    }

    /// Formats an empty ring without attaching to it (for a creator that attaches later).
    static func prepare(in region: SharedMemoryRegion, at offset: Int, capacity: Int) throws {
        guard capacity >= 64, capacity & (capacity - 1) == 0, capacity <= UInt32.max else {
            throw IPCError(.invalidSize, "format ring", detail: "capacity \(capacity) must be a power of two ≥ 64")
        }
        try region.checkRange(offset: offset, count: regionSize(capacity: capacity), alignment: 64, what: "ring")
        RingHeader(base: region.baseAddress + offset).format(capacity: capacity)
    }

    /// Attaches to a ring a peer formatted at `offset` in `region`.
    /// - Throws: ``IPCError`` `.protocolViolation` if no ring is there, `.invalidSize` if it does not fit.
    public init(region: SharedMemoryRegion, offset: Int = 0, role: Role) throws {
        try region.checkRange(offset: offset, count: RingHeader.dataOffset, alignment: 64, what: "ring header")
        let header = RingHeader(base: region.baseAddress + offset)
        guard header.magicWord.loadSequential() == RingHeader.magic,
            header.versionWord.loadAcquiring() == RingHeader.version
        else { throw IPCError(.protocolViolation, "attach ring", detail: "no ring header at offset \(offset)") }
        let capacity = Int(header.capacityWord.loadAcquiring())
        try region.checkRange(offset: offset, count: Self.regionSize(capacity: capacity), alignment: 64, what: "ring")
        self.region = region
        self.header = header
        self.role = role
        self.capacity = capacity
        self.mask = UInt64(capacity - 1)
        (role == .producer ? header.producerPID : header.consumerPID).storeSequential(UInt32(getpid()))
    }

    deinit { if closesOnRelease { close() } }

    /// Closes this end: the peer's next blocking call ends with ``IPCError/Code/peerClosed``
    /// (a consumer first drains what was sent). Safe to call twice.
    public func close() {
        guard !closed else { return }
        closed = true
        let (flag, signal) = role == .producer
            ? (header.producerClosed, header.dataSignal) : (header.consumerClosed, header.spaceSignal)
        flag.storeSequential(1)
        signal.increment()
        signal.wake()
    }

    /// Sends one message of `count` bytes, written in place by `fill` (no intermediate copy).
    /// - Parameters:
    ///   - count: the message length, at most ``maximumMessageSize``.
    ///   - timeout: the longest wait for space; nil waits while the consumer lives.
    ///   - fill: writes exactly the message into the buffer it receives.
    /// - Throws: ``IPCError`` `.messageTooLarge`, `.timedOut`, `.peerClosed`, `.peerVanished`,
    ///   `.protocolViolation` (the consumer's head is corrupt).
    public func send(
        count: Int, timeout: Duration? = nil, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        precondition(role == .producer, "send on the consumer end of a ring")
        guard count <= maximumMessageSize else {
            throw IPCError(.messageTooLarge, "ring send", detail: "\(count) bytes, maximum \(maximumMessageSize)")
        }
        let recordSize = RingHeader.recordSize(count)
        let tail = header.tail.loadRelaxed()
        let toEnd = capacity - Int(tail & mask)
        let needed = recordSize <= toEnd ? recordSize : toEnd + recordSize
        let capacity = UInt64(self.capacity)
        // The other end is another process and may be hostile or broken: a head that is not
        // between tail - capacity and tail is a protocol violation, never an arithmetic trap.
        var corruptHead: UInt64?
        let hasSpace = {
            let head = self.header.head.loadSequential()
            let used = tail &- head
            guard used <= capacity else {
                corruptHead = head
                return true
            }
            return capacity - used >= UInt64(needed)
        }
        if !hasSpace() {
            try block(
                until: { hasSpace() || self.header.consumerClosed.loadAcquiring() != 0 },
                signal: header.spaceSignal, sleeping: header.producerSleeping,
                timeout: timeout, operation: "ring send", peerCheck: { try self.checkPeer(or: { try SharedRingBuffer.checkPID($0.consumerPID) }, $0) })
        }
        if header.consumerClosed.loadAcquiring() != 0 { throw IPCError(.peerClosed, "ring send") }
        if let corruptHead {
            throw IPCError(.protocolViolation, "ring send", detail: "the consumer's head \(corruptHead) is not within \(capacity) bytes behind the tail \(tail)")
        }
        var position = tail
        if recordSize > toEnd {
            writeRecordHeader(at: position, length: toEnd - RingHeader.recordHeaderSize, kind: RingHeader.kindWrap)
            position += UInt64(toEnd)
        }
        writeRecordHeader(at: position, length: count, kind: RingHeader.kindMessage)
        let payload = header.data + Int(position & mask) + RingHeader.recordHeaderSize
        try fill(UnsafeMutableRawBufferPointer(start: payload, count: count))
        header.tail.storeSequential(position + UInt64(recordSize))
        if header.consumerSleeping.loadSequential() != 0 {
            header.dataSignal.increment()
            header.dataSignal.wake()
        }
    }

    private func writeRecordHeader(at position: UInt64, length: Int, kind: UInt32) {
        let record = header.data + Int(position & mask)
        record.storeBytes(of: UInt32(length), as: UInt32.self)
        (record + 4).storeBytes(of: kind, as: UInt32.self)
    }
}
