import CPosixIPC
import CheckKit
import Glibc
import Synchronization

/// A ring's region as the grader's public peer sees it: the layout of README.md read and
/// written word by word. It is deliberately a *simple* end — it formats rings, publishes
/// records that never need to wrap (the public checks send little enough), reads any record,
/// and never sleeps on the futex words (the peer waits by watching your program instead).
final class RingView {
    static let magicValue: UInt32 = 0x5453_5242
    static let dataOffset = 512
    // Offsets of the header's words.
    static let capacityOffset = 8, tailOffset = 64, producerPIDOffset = 72, producerClosedOffset = 76
    static let headOffset = 128, consumerPIDOffset = 136, consumerClosedOffset = 140
    static let dataSignalOffset = 192, consumerSleepingOffset = 196, spaceSignalOffset = 256, producerSleepingOffset = 260

    let base: UnsafeMutableRawPointer
    let size: Int
    /// Data bytes, read once from the header when the ring is formatted or adopted, never again:
    /// the program could change the shared word at any time.
    private(set) var capacity = 0
    /// The region's descriptor (to hand over), or -1 once closed.
    private(set) var descriptor: Int32

    /// Maps the shared-memory object `descriptor` refers to (the view owns the descriptor).
    init(descriptor: Int32) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size >= RingView.dataOffset + 64,
            let base = mmap(nil, Int(info.st_size), PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), base != MAP_FAILED
        else {
            Glibc.close(descriptor)
            throw CheckFailure("the shared-memory object is too small for a ring or cannot be mapped (errno \(errno))")
        }
        self.base = base
        self.size = Int(info.st_size)
        self.descriptor = descriptor
    }

    /// A new, already unlinked shared-memory object holding an empty ring of `capacity` bytes,
    /// formatted as README.md says (the magic word last).
    static func format(capacity: Int) throws -> RingView {
        let name = "/turnstile-peer-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CheckFailure("the grader's peer cannot create a shared-memory object (errno \(errno))") }
        shm_unlink(name)
        guard ftruncate(fd, off_t(dataOffset + capacity)) == 0 else {
            Glibc.close(fd)
            throw CheckFailure("the grader's peer cannot size its shared-memory object (errno \(errno))")
        }
        let view = try RingView(descriptor: fd)
        view.word64(capacityOffset).store(UInt64(capacity))
        view.capacity = capacity
        view.word32(4).store(1)
        view.word32(0).store(magicValue)
        return view
    }

    deinit {
        munmap(base, size)
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Closes the descriptor once the program holds its own (the mapping stays).
    func closeDescriptor() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    // MARK: The header

    var hasMagic: Bool { word32(0).load() == RingView.magicValue }
    /// Takes the capacity from the header of a ring the program formatted, if it is valid.
    func adoptCapacity() throws {
        let announced = word64(RingView.capacityOffset).load()
        guard announced >= 64, announced & (announced - 1) == 0, announced <= UInt64(size - RingView.dataOffset) else {
            throw CheckFailure("the capacity word of your ring says \(announced): it must be a power of two from 64 that fits the object (\(size) bytes)")
        }
        capacity = Int(announced)
    }
    var tail: UInt64 { word64(RingView.tailOffset).load() }
    var head: UInt64 { word64(RingView.headOffset).load() }
    var producerClosed: Bool { word32(RingView.producerClosedOffset).load() != 0 }
    var consumerClosed: Bool { word32(RingView.consumerClosedOffset).load() != 0 }
    /// Bytes published and not yet consumed.
    var used: UInt64 { tail &- head }

    func word32(_ offset: Int) -> Atomic32 { Atomic32(pointer: (base + offset).assumingMemoryBound(to: Atomic<UInt32>.self)) }
    func word64(_ offset: Int) -> Atomic64 { Atomic64(pointer: (base + offset).assumingMemoryBound(to: Atomic<UInt64>.self)) }

    /// Adds one to the futex word at `offset` and wakes every sleeper on it.
    func signal(_ offset: Int) {
        word32(offset).pointer.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        _ = turnstile_futex_wake((base + offset).assumingMemoryBound(to: UInt32.self), Int32.max)
    }

    // MARK: The producer's side

    /// Publishes `message` if it fits without wrapping; the public checks never need more.
    func publish(_ message: [UInt8]) throws {
        let capacity = self.capacity, tail = self.tail
        let offset = Int(tail & UInt64(capacity - 1))
        let size = (8 + message.count + 7) & ~7
        let used = self.used
        guard used <= UInt64(capacity) else {
            throw CheckFailure("the ring your program reads says \(used) bytes are in use, more than its \(capacity): its head is corrupt")
        }
        guard offset + size <= capacity, UInt64(capacity) - used >= UInt64(size) else {
            throw CheckFailure("the grader's simple peer would have to wrap or wait for room: a public check sent too much (the grader's problem)")
        }
        let record = base + RingView.dataOffset + offset
        record.storeBytes(of: UInt32(message.count), as: UInt32.self)
        (record + 4).storeBytes(of: 1, as: UInt32.self)
        message.withUnsafeBytes { if let bytes = $0.baseAddress { (record + 8).copyMemory(from: bytes, byteCount: message.count) } }
        word64(RingView.tailOffset).store(tail + UInt64(size))
        if word32(RingView.consumerSleepingOffset).load() != 0 { signal(RingView.dataSignalOffset) }
    }

    /// Closes the producer's end: sets the flag and wakes the consumer.
    func closeProducer() {
        word32(RingView.producerClosedOffset).store(1)
        signal(RingView.dataSignalOffset)
    }

    // MARK: The consumer's side

    /// The next message, or nil if the ring is empty; a record that breaks the layout fails
    /// the check with what was wrong.
    func take() throws -> [UInt8]? {
        let capacity = self.capacity
        while true {
            let head = self.head, tail = self.tail
            guard tail != head else { return nil }
            guard tail &- head <= UInt64(capacity) else {
                throw CheckFailure("the ring your program writes says \(tail &- head) bytes are published, more than its \(capacity): its tail is corrupt")
            }
            let offset = Int(head & UInt64(capacity - 1))
            let record = base + RingView.dataOffset + offset
            let length = Int(record.load(as: UInt32.self)), kind = (record + 4).load(as: UInt32.self)
            let size = (8 + length + 7) & ~7
            guard kind == 1 || kind == 2, size <= capacity - offset, tail &- head >= UInt64(kind == 2 ? capacity - offset : size) else {
                throw CheckFailure("a record your program published at offset \(offset) of the data area breaks the layout: length \(length), kind \(kind), \(capacity - offset) bytes left before the end, \(tail &- head) bytes published")
            }
            if kind == 2 {
                release(to: head + UInt64(capacity - offset))
                continue
            }
            let message = Array(UnsafeRawBufferPointer(start: record + 8, count: length))
            release(to: head + UInt64(size))
            return message
        }
    }

    private func release(to head: UInt64) {
        word64(RingView.headOffset).store(head)
        if word32(RingView.producerSleepingOffset).load() != 0 { signal(RingView.spaceSignalOffset) }
    }
}

/// A 32-bit word of a ring's header; the peer's accesses are all sequentially consistent
/// (stronger than the protocol asks, never weaker).
struct Atomic32 {
    let pointer: UnsafeMutablePointer<Atomic<UInt32>>
    func load() -> UInt32 { pointer.pointee.load(ordering: .sequentiallyConsistent) }
    func store(_ value: UInt32) { pointer.pointee.store(value, ordering: .sequentiallyConsistent) }
}

/// A 64-bit word of a ring's header, accessed sequentially consistently.
struct Atomic64 {
    let pointer: UnsafeMutablePointer<Atomic<UInt64>>
    func load() -> UInt64 { pointer.pointee.load(ordering: .sequentiallyConsistent) }
    func store(_ value: UInt64) { pointer.pointee.store(value, ordering: .sequentiallyConsistent) }
}
