import CPosixIPC
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

/// One end of a single-producer, single-consumer message ring in a POSIX shared-memory region.
/// Read README.md first: it is the layout and protocol the grader's peer holds your program to.
///
/// You may import `Glibc`, `Foundation`, `Synchronization` (atomics on the shared words:
/// `(base + offset).assumingMemoryBound(to: Atomic<UInt64>.self).pointee.load(ordering:)`)
/// and `CPosixIPC` (`turnstile_futex_wait`, `turnstile_futex_wake`, `turnstile_cpu_relax`).
/// Keep every public declaration as it is; anything you add must be `internal` or `private`.
public final class RingEnd {
    /// Which end of the ring this object is.
    public enum Role: Sendable { case producer, consumer }

    /// The role this end plays.
    public let role: Role
    /// Data bytes in the ring (a power of two).
    public let capacity: Int
    /// The longest message ``send(_:)`` accepts.
    public var maximumMessageSize: Int { capacity / 2 - Layout.recordHeader }

    private init(role: Role, capacity: Int) {
        self.role = role
        self.capacity = capacity
    }

    /// Creates the shared-memory object `name` (`shm_open` with `O_CREAT | O_EXCL`), sizes it for
    /// a ring of `capacity` data bytes, formats the header, and attaches as `role`. `peer` is
    /// the peer descriptor: end of file on it means the other end's process is gone.
    public static func create(name: String, capacity: Int, role: Role, peer: Int32) throws -> RingEnd {
        throw RingError.system(call: "RingEnd.create (not written yet)", errno: ENOSYS)
    }

    /// Attaches as `role` to the ring another process formatted in the shared-memory object
    /// `descriptor` refers to (its size is the object's size).
    public static func attach(descriptor: Int32, role: Role, peer: Int32) throws -> RingEnd {
        throw RingError.system(call: "RingEnd.attach (not written yet)", errno: ENOSYS)
    }

    /// Sends one message, blocking while the ring lacks room for it.
    public func send(_ message: [UInt8]) throws {
        throw RingError.system(call: "RingEnd.send (not written yet)", errno: ENOSYS)
    }

    /// Receives the next message, blocking while the ring is empty; nil once the producer has
    /// closed its end and every message it sent has been received.
    public func receive() throws -> [UInt8]? {
        throw RingError.system(call: "RingEnd.receive (not written yet)", errno: ENOSYS)
    }

    /// Closes this end and wakes the other; the creating end unlinks the object's name (once
    /// the other end has attached). Safe to call twice.
    public func close() {}
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
