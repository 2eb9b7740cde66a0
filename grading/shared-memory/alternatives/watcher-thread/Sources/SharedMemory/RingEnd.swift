import CPosixIPC
import Foundation
import Glibc
import Synchronization

/// Why a ring operation failed.
public enum RingError: Error, Equatable {
    /// The other end's process is gone: end of file on the `peer` descriptor.
    case peerVanished
    /// The consumer closed its end; nothing sent now would be read.
    case peerClosed
    /// A message longer than ``RingEnd/maximumMessageSize`` bytes.
    case messageTooLarge(Int)
    /// The region holds no ring of this layout, or a record in it is corrupt.
    case notARing(String)
    /// A system call failed with `errno`.
    case system(call: String, errno: Int32)
}

/// One end of a single-producer, single-consumer message ring in a POSIX shared-memory region
/// (see README.md for the layout and the protocol).
///
/// A correct alternative to the reference: no spinning and no timeouts. A waiting end sleeps on
/// the futex word until woken; a watcher thread blocks in `poll` on the peer descriptor and,
/// when it reaches end of file, raises a flag and wakes both futex words, so a waiter learns of
/// the peer's death without ever waking up on a timer.
public final class RingEnd {
    /// Which end of the ring this object is.
    public enum Role: Sendable { case producer, consumer }

    /// The role this end plays.
    public let role: Role
    /// Data bytes in the ring (a power of two).
    public let capacity: Int
    /// The longest message ``send(_:)`` accepts.
    public var maximumMessageSize: Int { capacity / 2 - Layout.recordHeader }

    private let base: UnsafeMutableRawPointer
    private let mappedSize: Int
    private let peer: Int32
    private var name: String?
    private var closed = false
    /// Set by the watcher thread once the peer descriptor reached end of file.
    private let vanished = Atomic<Bool>(false)

    private init(base: UnsafeMutableRawPointer, mappedSize: Int, role: Role, peer: Int32, name: String?) throws {
        self.base = base
        self.mappedSize = mappedSize
        self.role = role
        self.peer = peer
        self.name = name
        let magic = (base + Layout.magic).assumingMemoryBound(to: Atomic<UInt32>.self)
        let version = (base + Layout.version).assumingMemoryBound(to: Atomic<UInt32>.self)
        guard magic.pointee.load(ordering: .sequentiallyConsistent) == Layout.magicValue, version.pointee.load(ordering: .acquiring) == 1 else {
            throw RingError.notARing("no ring header in the region")
        }
        let capacity = Int((base + Layout.capacity).assumingMemoryBound(to: Atomic<UInt64>.self).pointee.load(ordering: .acquiring))
        guard capacity >= 64, capacity & (capacity - 1) == 0, Layout.data + capacity <= mappedSize else {
            throw RingError.notARing("capacity \(capacity) does not fit a region of \(mappedSize) bytes")
        }
        self.capacity = capacity
        word32(role == .producer ? Layout.producerPID : Layout.consumerPID).pointee.store(UInt32(getpid()), ordering: .sequentiallyConsistent)
        // The watcher keeps this end alive (and its mapping) for as long as the program runs.
        Thread.detachNewThread { [self] in watchPeer() }
    }

    /// Blocks until the peer descriptor reaches end of file, then wakes every sleeper.
    private func watchPeer() {
        var byte: UInt8 = 0
        while true {
            var watched = pollfd(fd: peer, events: Int16(POLLIN), revents: 0)
            if poll(&watched, 1, -1) < 0 && errno == EINTR { continue }
            let count = Glibc.read(peer, &byte, 1)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { break }
        }
        vanished.store(true, ordering: .sequentiallyConsistent)
        for signal in [Layout.dataSignal, Layout.spaceSignal] {
            word32(signal).pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
            _ = turnstile_futex_wake((base + signal).assumingMemoryBound(to: UInt32.self), Int32.max)
        }
    }

    /// Creates the shared-memory object `name`, formats an empty ring of `capacity` data bytes
    /// in it and attaches as `role`. The object is unlinked when this end closes.
    public static func create(name: String, capacity: Int, role: Role, peer: Int32) throws -> RingEnd {
        guard capacity >= 64, capacity & (capacity - 1) == 0, capacity <= 1 << 30 else {
            throw RingError.notARing("capacity \(capacity) must be a power of two from 64")
        }
        let fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RingError.system(call: "shm_open", errno: errno) }
        defer { Glibc.close(fd) }
        let size = Layout.data + capacity
        guard ftruncate(fd, off_t(size)) == 0 else {
            let error = errno
            shm_unlink(name)
            throw RingError.system(call: "ftruncate", errno: error)
        }
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            let error = errno
            shm_unlink(name)
            throw RingError.system(call: "mmap", errno: error)
        }
        // A fresh object is all zeros: only the identity is left to write, the magic last, so
        // an end that sees the magic sees the rest.
        base.storeBytes(of: UInt64(capacity), toByteOffset: Layout.capacity, as: UInt64.self)
        base.storeBytes(of: 1, toByteOffset: Layout.version, as: UInt32.self)
        (base + Layout.magic).assumingMemoryBound(to: Atomic<UInt32>.self).pointee.store(Layout.magicValue, ordering: .sequentiallyConsistent)
        do {
            return try RingEnd(base: base, mappedSize: size, role: role, peer: peer, name: name)
        } catch {
            munmap(base, size)
            shm_unlink(name)
            throw error
        }
    }

    /// Attaches as `role` to the ring another process formatted in the shared-memory object
    /// `descriptor` refers to.
    public static func attach(descriptor: Int32, role: Role, peer: Int32) throws -> RingEnd {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw RingError.system(call: "fstat", errno: errno) }
        let size = Int(info.st_size)
        guard size >= Layout.data + 64 else { throw RingError.notARing("the region has only \(size) bytes") }
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), base != MAP_FAILED else {
            throw RingError.system(call: "mmap", errno: errno)
        }
        do {
            return try RingEnd(base: base, mappedSize: size, role: role, peer: peer, name: nil)
        } catch {
            munmap(base, size)
            throw error
        }
    }

    deinit {
        close()
        munmap(base, mappedSize)
    }

    /// Sends one message, blocking while the ring lacks room for it.
    /// - Throws: ``RingError/messageTooLarge(_:)``, ``RingError/peerClosed``, ``RingError/peerVanished``.
    public func send(_ message: [UInt8]) throws {
        precondition(role == .producer, "send on the consumer end")
        guard message.count <= maximumMessageSize else { throw RingError.messageTooLarge(message.count) }
        let tailWord = word64(Layout.tail), headWord = word64(Layout.head)
        let tail = tailWord.pointee.load(ordering: .relaxed)
        let mask = UInt64(capacity - 1)
        let toEnd = capacity - Int(tail & mask)
        let size = Layout.recordSize(message.count)
        let needed = UInt64(size <= toEnd ? size : toEnd + size)
        let consumerClosed = word32(Layout.consumerClosed)
        try wait(signal: Layout.spaceSignal, sleeping: Layout.producerSleeping) {
            UInt64(capacity) - (tail &- headWord.pointee.load(ordering: .sequentiallyConsistent)) >= needed
                || consumerClosed.pointee.load(ordering: .acquiring) != 0
        }
        if consumerClosed.pointee.load(ordering: .acquiring) != 0 { throw RingError.peerClosed }
        var position = tail
        if size > toEnd {
            writeHeader(at: position, length: toEnd - Layout.recordHeader, kind: Layout.wrapKind)
            position += UInt64(toEnd)
        }
        writeHeader(at: position, length: message.count, kind: Layout.messageKind)
        let payload = base + Layout.data + Int(position & mask) + Layout.recordHeader
        message.withUnsafeBytes { if let source = $0.baseAddress { payload.copyMemory(from: source, byteCount: message.count) } }
        tailWord.pointee.store(position + UInt64(size), ordering: .sequentiallyConsistent)
        wakeIfSleeping(signal: Layout.dataSignal, sleeping: Layout.consumerSleeping)
    }

    /// Receives the next message, blocking while the ring is empty; nil once the producer has
    /// closed its end and every message it sent has been received.
    /// - Throws: ``RingError/peerVanished``, ``RingError/notARing(_:)`` for a corrupt record.
    public func receive() throws -> [UInt8]? {
        precondition(role == .consumer, "receive on the producer end")
        let tailWord = word64(Layout.tail), headWord = word64(Layout.head)
        let producerClosed = word32(Layout.producerClosed)
        let mask = UInt64(capacity - 1)
        while true {
            let head = headWord.pointee.load(ordering: .relaxed)
            try wait(signal: Layout.dataSignal, sleeping: Layout.consumerSleeping) {
                tailWord.pointee.load(ordering: .sequentiallyConsistent) != head || producerClosed.pointee.load(ordering: .acquiring) != 0
            }
            if tailWord.pointee.load(ordering: .sequentiallyConsistent) == head { return nil }  // closed and drained
            let offset = Int(head & mask)
            let record = base + Layout.data + offset
            let length = Int(record.load(as: UInt32.self))
            let kind = (record + 4).load(as: UInt32.self)
            let toEnd = capacity - offset
            guard Layout.recordSize(length) <= toEnd, kind == Layout.messageKind || kind == Layout.wrapKind else {
                throw RingError.notARing("corrupt record at offset \(offset)")
            }
            if kind == Layout.wrapKind {
                release(to: head + UInt64(toEnd))
                continue
            }
            let message = Array(UnsafeRawBufferPointer(start: record + Layout.recordHeader, count: length))
            release(to: head + UInt64(Layout.recordSize(length)))
            return message
        }
    }

    /// Closes this end and wakes the other; the creating end unlinks the object's name, first
    /// waiting until the other end has attached (its pid word is set) or vanished. Safe to
    /// call twice.
    public func close() {
        guard !closed else { return }
        closed = true
        let (flag, signal) = role == .producer ? (Layout.producerClosed, Layout.dataSignal) : (Layout.consumerClosed, Layout.spaceSignal)
        word32(flag).pointee.store(1, ordering: .sequentiallyConsistent)
        word32(signal).pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        _ = turnstile_futex_wake((base + signal).assumingMemoryBound(to: UInt32.self), Int32.max)
        if let name {
            let other = word32(role == .producer ? Layout.consumerPID : Layout.producerPID)
            while other.pointee.load(ordering: .sequentiallyConsistent) == 0 && !vanished.load(ordering: .sequentiallyConsistent) { usleep(2_000) }
            shm_unlink(name)
            self.name = nil
        }
    }

    // MARK: Waiting

    /// Returns once `ready` holds: sleeps on `signal` after announcing it in `sleeping`,
    /// re-checking `ready` in between so a wake-up is never lost; the watcher's wake-up ends the
    /// wait when the peer is gone.
    private func wait(signal: Int, sleeping: Int, until ready: () -> Bool) throws {
        let signalWord = word32(signal), sleepingWord = word32(sleeping)
        let address = (base + signal).assumingMemoryBound(to: UInt32.self)
        while true {
            let seen = signalWord.pointee.load(ordering: .sequentiallyConsistent)
            sleepingWord.pointee.store(1, ordering: .sequentiallyConsistent)
            if ready() {
                sleepingWord.pointee.store(0, ordering: .sequentiallyConsistent)
                return
            }
            if vanished.load(ordering: .sequentiallyConsistent) {
                sleepingWord.pointee.store(0, ordering: .sequentiallyConsistent)
                throw RingError.peerVanished
            }
            _ = turnstile_futex_wait(address, seen, -1)
            sleepingWord.pointee.store(0, ordering: .sequentiallyConsistent)
            if ready() { return }
        }
    }


    private func wakeIfSleeping(signal: Int, sleeping: Int) {
        guard word32(sleeping).pointee.load(ordering: .sequentiallyConsistent) != 0 else { return }
        word32(signal).pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        _ = turnstile_futex_wake((base + signal).assumingMemoryBound(to: UInt32.self), Int32.max)
    }

    /// Gives the space up to `head` back to the producer and wakes it if it sleeps.
    private func release(to head: UInt64) {
        word64(Layout.head).pointee.store(head, ordering: .sequentiallyConsistent)
        wakeIfSleeping(signal: Layout.spaceSignal, sleeping: Layout.producerSleeping)
    }

    private func writeHeader(at position: UInt64, length: Int, kind: UInt32) {
        let record = base + Layout.data + Int(position & UInt64(capacity - 1))
        record.storeBytes(of: UInt32(length), as: UInt32.self)
        (record + 4).storeBytes(of: kind, as: UInt32.self)
    }

    private func word64(_ offset: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (base + offset).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    private func word32(_ offset: Int) -> UnsafeMutablePointer<Atomic<UInt32>> {
        (base + offset).assumingMemoryBound(to: Atomic<UInt32>.self)
    }
}

/// The byte offsets of the ring's layout (README.md, "The layout").
enum Layout {
    static let magic = 0, version = 4, capacity = 8
    static let tail = 64, producerPID = 72, producerClosed = 76
    static let head = 128, consumerPID = 136, consumerClosed = 140
    static let dataSignal = 192, consumerSleeping = 196
    static let spaceSignal = 256, producerSleeping = 260
    static let data = 512
    static let magicValue: UInt32 = 0x5453_5242
    static let recordHeader = 8
    static let messageKind: UInt32 = 1, wrapKind: UInt32 = 2

    /// Header plus payload, rounded up to 8 bytes.
    static func recordSize(_ length: Int) -> Int { (recordHeader + length + 7) & ~7 }
}
