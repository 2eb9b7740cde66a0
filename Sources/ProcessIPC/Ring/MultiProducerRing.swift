#if canImport(Glibc)
import Glibc
#endif

/// A bounded multi-producer, single-consumer message ring inside a ``SharedMemoryRegion``.
///
/// Any number of producer processes (up to ``maximumProducers`` attached at once) send into
/// one ``SharedRingBuffer``; they take turns through a robust ``SharedMutex`` in the same
/// region, so a record is written and published by one producer at a time.
///
/// - Blocking: as ``SharedRingBuffer`` (spin, then futex), plus the wait for the producers' mutex.
/// - Fairness: among producers, none (whoever the kernel lets take the mutex).
/// - Memory ordering: as ``SharedRingBuffer``; the mutex orders producers among themselves.
/// - Peer death: a producer killed while writing leaves the mutex to the next producer
///   (`EOWNERDEAD`) and its half-written record unpublished (the tail only moves after a
///   complete write). The consumer sees ``IPCError/Code/peerClosed`` when every attached producer
///   closed, ``IPCError/Code/peerVanished`` when the remaining ones died.
public final class MultiProducerRing {
    /// The most producers attached at the same time.
    public static let maximumProducers = 32
    private static let slotsOffset = 64
    private static let ringOffset = 256

    /// The underlying ring.
    public let ring: SharedRingBuffer
    private let mutex: SharedMutex
    private let slots: UnsafeMutableRawPointer
    private var slot: Int?

    /// Bytes of region a ring with `capacity` data bytes needs.
    public static func regionSize(capacity: Int) -> Int { ringOffset + SharedRingBuffer.regionSize(capacity: capacity) }

    /// Formats an empty ring in `region` (once, before anyone attaches) and attaches as `role`.
    /// - Parameters:
    ///   - capacity: data bytes (a power of two).
    ///   - producers: how many producers will attach; the consumer sees the end of the stream
    ///     when that many have closed (or died). Nil: when no producer is attached any more, which
    ///     can come early if one producer finishes before another attaches.
    /// - Throws: ``IPCError`` `.invalidSize` or `.systemCall`.
    public static func format(
        in region: SharedMemoryRegion, capacity: Int, role: SharedRingBuffer.Role, producers: Int? = nil
    ) throws -> MultiProducerRing {
        _ = try SharedMutex.initialize(in: region, at: 0)
        try region.checkRange(offset: slotsOffset, count: 4 * maximumProducers, alignment: 4, what: "producer slots")
        // Words: expected at slots-16, closed at slots-12, everAttached at slots-8, vanished at
        // slots-4, then one pid per producer slot.
        for index in -4..<maximumProducers { SharedUInt32(region.baseAddress + slotsOffset + 4 * index).initialize(0) }
        expected(region.baseAddress + slotsOffset).storeSequential(UInt32(producers ?? 0))
        try SharedRingBuffer.prepare(in: region, at: ringOffset, capacity: capacity)
        return try MultiProducerRing(region: region, role: role)
    }

    /// Attaches to a ring formatted in `region`; a producer takes a free producer slot.
    /// - Throws: ``IPCError`` `.protocolViolation` if no ring is there, `.invalidArgument` if all
    ///   producer slots are taken.
    public init(region: SharedMemoryRegion, role: SharedRingBuffer.Role) throws {
        mutex = try SharedMutex(region: region, offset: 0)
        slots = region.baseAddress + Self.slotsOffset
        ring = try SharedRingBuffer(region: region, offset: Self.ringOffset, role: role)
        let slots = self.slots
        if role == .producer {
            ring.closesOnRelease = false
            slot = try mutex.withLock(timeout: .seconds(5)) { _ in
                guard let free = (0..<Self.maximumProducers).first(where: { Self.slotWord(slots, $0).loadAcquiring() == 0 })
                else { return nil }
                Self.slotWord(slots, free).storeSequential(UInt32(getpid()))
                Self.everAttached(slots).storeSequential(1)
                return free
            }
            guard slot != nil else {
                throw IPCError(.invalidArgument, "attach producer", detail: "all \(Self.maximumProducers) slots taken")
            }
        } else {
            // Finished: someone attached and no producer is attached now (closed or reaped dead).
            ring.producersFinished = { _ in
                let expected = Self.expected(slots).loadAcquiring()
                return expected > 0
                    ? Self.closed(slots).loadAcquiring() >= expected
                    : Self.everAttached(slots).loadAcquiring() != 0 && Self.attachedPIDs(slots).isEmpty
            }
            // Dead producers are detached on their behalf and remembered, so the consumer can
            // report "vanished" rather than "closed" once none is left.
            ring.producersAlive = { _ in
                for index in 0..<Self.maximumProducers {
                    let pid = Self.slotWord(slots, index).loadAcquiring()
                    if pid != 0 && !PeerLiveness.processIsAlive(pid_t(bitPattern: pid)) {
                        Self.slotWord(slots, index).storeSequential(0)
                        Self.vanished(slots).storeSequential(1)
                        Self.closed(slots).increment()
                    }
                }
            }
        }
    }

    deinit { close() }

    /// Sends one message (see ``SharedRingBuffer/send(count:timeout:_:)``) under the producers' mutex.
    /// - Throws: ``IPCError`` `.timedOut` (mutex or space), `.peerClosed`, `.peerVanished`, `.messageTooLarge`.
    public func send(_ bytes: UnsafeRawBufferPointer, timeout: Duration? = nil) throws {
        try mutex.withLock(timeout: timeout) { _ in try ring.send(bytes, timeout: timeout) }
    }

    /// Sends one message copied from `bytes`.
    public func send(_ bytes: [UInt8], timeout: Duration? = nil) throws {
        try bytes.withUnsafeBytes { try send($0, timeout: timeout) }
    }

    /// Receives one message (consumer only); see ``SharedRingBuffer/receive(timeout:_:)``.
    /// - Throws: ``IPCError`` `.peerClosed` when every producer closed and the ring is drained,
    ///   `.peerVanished` when the last producers died instead, `.timedOut`.
    public func receive(timeout: Duration? = nil) throws -> [UInt8] {
        do {
            return try ring.receive(timeout: timeout)
        } catch let error as IPCError where error.code == .peerClosed && Self.vanished(slots).loadAcquiring() != 0 {
            throw IPCError(.peerVanished, "ring receive", detail: "producers died without closing")
        }
    }

    private static func slotWord(_ slots: UnsafeMutableRawPointer, _ index: Int) -> SharedUInt32 {
        SharedUInt32(slots + 4 * index)
    }
    private static func expected(_ slots: UnsafeMutableRawPointer) -> SharedUInt32 { SharedUInt32(slots - 16) }
    private static func closed(_ slots: UnsafeMutableRawPointer) -> SharedUInt32 { SharedUInt32(slots - 12) }
    private static func everAttached(_ slots: UnsafeMutableRawPointer) -> SharedUInt32 { SharedUInt32(slots - 8) }
    private static func vanished(_ slots: UnsafeMutableRawPointer) -> SharedUInt32 { SharedUInt32(slots - 4) }
    private static func attachedPIDs(_ slots: UnsafeMutableRawPointer) -> [UInt32] {
        (0..<maximumProducers).map { slotWord(slots, $0).loadAcquiring() }.filter { $0 != 0 }
    }

    /// Detaches: a producer frees its slot (the last one wakes the consumer); the consumer closes
    /// the ring so producers get ``IPCError/Code/peerClosed``. Safe to call twice.
    public func close() {
        guard ring.role == .producer else { return ring.close() }
        guard let slot else { return }
        self.slot = nil
        _ = try? mutex.withLock(timeout: .seconds(5)) { _ in
            Self.slotWord(slots, slot).storeSequential(0)
            Self.closed(slots).increment()
        }
        ring.header.dataSignal.increment()
        ring.header.dataSignal.wake()
    }
}
