import Glibc

/// Your program's connection to the grader's lock service: the only thing your sender and your
/// receiver share. Given complete; you may use it as it is.
///
/// Each call sends one request (two bytes: an operation and the lock number) and reads the
/// one-byte reply, so it takes one round of the service (see the README). Not thread-safe: one
/// thread uses a client at a time.
public final class LockClient {
    /// How a request can fail.
    public enum Failure: Error, Equatable {
        /// The service closed the connection (it does when a transfer is over).
        case serviceClosed
        /// The service replied with a byte other than `Y` or `N`.
        case unexpectedReply(UInt8)
        /// A lock number outside 0...3.
        case noSuchLock(Int)
    }

    /// The service has locks 0, 1, 2 and 3.
    public static let lockCount = 4

    private let descriptor: Int32

    /// A client on the connected socket `descriptor` (the grader's main makes it).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Waits until lock `number` is free, then holds it (at once if you hold it already).
    /// Blocks for as many rounds as the other side keeps the lock.
    public func lock(_ number: Int) throws {
        _ = try request(0x4C, number)
    }

    /// Releases lock `number`; false if you did not hold it.
    public func unlock(_ number: Int) throws -> Bool {
        try request(0x55, number)
    }

    /// Takes lock `number` if it is free (or already yours) and returns true; false, without
    /// waiting, if the other side holds it.
    public func tryLock(_ number: Int) throws -> Bool {
        try request(0x54, number)
    }

    /// Whether the other side holds lock `number` right now. Changes nothing.
    public func isHeldByOther(_ number: Int) throws -> Bool {
        try request(0x51, number)
    }

    private func request(_ operation: UInt8, _ number: Int) throws -> Bool {
        guard (0..<Self.lockCount).contains(number) else { throw Failure.noSuchLock(number) }
        var bytes: [UInt8] = [operation, UInt8(number)]
        var sent = 0
        while sent < 2 {
            let count = bytes.withUnsafeMutableBytes { send(descriptor, $0.baseAddress! + sent, 2 - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw Failure.serviceClosed }
            sent += count
        }
        var reply: UInt8 = 0
        while true {
            let count = recv(descriptor, &reply, 1, 0)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { throw Failure.serviceClosed }
            break
        }
        switch reply {
        case 0x59: return true
        case 0x4E: return false
        default: throw Failure.unexpectedReply(reply)
        }
    }
}
