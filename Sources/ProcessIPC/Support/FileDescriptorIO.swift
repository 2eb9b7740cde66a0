#if canImport(Glibc)
import CPosixIPC
import Glibc
#endif

/// Descriptor helpers shared by the channels: close-on-exec creation, non-blocking I/O with
/// deadlines and liveness checks, and exact-length reads and writes.
enum FileDescriptorIO {
    /// Sets or clears O_NONBLOCK on `fd`.
    static func setNonBlocking(_ fd: Int32, _ on: Bool = true) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) == 0 else {
            throw IPCError.system("fcntl O_NONBLOCK")
        }
    }

    /// Waits until `fd` is ready for `events` (POLLIN/POLLOUT), the deadline passes, or the
    /// peer dies. Returns the revents seen (which may include POLLHUP/POLLERR).
    static func waitReady(
        _ fd: Int32, _ events: Int16, deadline: Deadline, liveness: PeerLiveness, operation: String
    ) throws -> Int16 {
        while true {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = deadline.pollMilliseconds(cappedAt: Int32(livenessSliceNanoseconds / 1_000_000))
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return entry.revents }
            if result < 0 && errno != EINTR { throw IPCError.system("poll (\(operation))") }
            if deadline.hasPassed { throw IPCError(.timedOut, operation) }
            if !liveness.isAlive() { throw IPCError(.peerVanished, operation) }
        }
    }

    /// Writes all of `bytes` to a non-blocking stream descriptor (pipe or stream socket).
    static func writeAll(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, isSocket: Bool, deadline: Deadline,
        liveness: PeerLiveness, operation: String
    ) throws {
        var offset = 0
        while offset < bytes.count {
            let pointer = bytes.baseAddress! + offset
            let written =
                isSocket
                ? send(fd, pointer, bytes.count - offset, Int32(MSG_NOSIGNAL))
                : write(fd, pointer, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                _ = try waitReady(fd, Int16(POLLOUT), deadline: deadline, liveness: liveness, operation: operation)
            } else {
                throw IPCError.system(operation)
            }
        }
    }

    /// Reads exactly `buffer.count` bytes from a non-blocking stream descriptor. EOF before the
    /// first byte is ``IPCError/Code/peerClosed``; EOF in the middle is a protocol violation.
    static func readExactly(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline,
        liveness: PeerLiveness, operation: String
    ) throws {
        var offset = 0
        while offset < buffer.count {
            let count = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if count > 0 {
                offset += count
            } else if count == 0 {
                throw offset == 0
                    ? IPCError(.peerClosed, operation, detail: "end of file")
                    : IPCError(.protocolViolation, operation, detail: "end of file inside a message")
            } else if errno == EAGAIN || errno == EINTR {
                _ = try waitReady(fd, Int16(POLLIN), deadline: deadline, liveness: liveness, operation: operation)
            } else {
                throw IPCError.system(operation)
            }
        }
    }

    /// Closes `fd` if it is valid and marks it closed (-1).
    static func closeOnce(_ fd: inout Int32) {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }
}

/// Tries to open an existing message queue without creating it; the descriptor or -1.
func turnstileMessageQueueProbe(_ name: String) -> Int32 {
    turnstile_mq_open(name, O_RDONLY, 0, 0, 0)
}
