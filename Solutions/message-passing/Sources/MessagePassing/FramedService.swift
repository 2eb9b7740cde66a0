import Glibc

/// A request/response service over length-framed byte streams (see README.md for the wire format).
///
/// The reference: one thread, one `poll` loop over the shutdown descriptor, the listening socket
/// and every connection, all non-blocking; each connection keeps the bytes of its unfinished
/// request and of its unsent responses.
public enum FramedService {
    /// The largest payload a frame may announce, in bytes.
    public static let maximumPayload = 65_536

    /// The response to one request: its bytes in reverse order.
    static func respond(to request: ArraySlice<UInt8>) -> [UInt8] {
        Array(request.reversed())
    }

    /// Serves every client that connects to `listener` until `shutdown` becomes readable.
    public static func serve(listener: Int32, shutdown: Int32) {
        setNonBlocking(listener)
        var connections: [Int32: Connection] = [:]
        while true {
            var watched = [pollfd(fd: shutdown, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            let order = connections.keys.sorted()
            for fd in order {
                let connection = connections[fd]!
                var events: Int16 = connection.peerDone ? 0 : Int16(POLLIN)
                if connection.pendingOutput > 0 { events |= Int16(POLLOUT) }
                watched.append(pollfd(fd: fd, events: events, revents: 0))
            }
            if poll(&watched, nfds_t(watched.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if watched[0].revents != 0 { break }
            if watched[1].revents != 0 { acceptAll(listener, into: &connections) }
            for (index, fd) in order.enumerated() where watched[index + 2].revents != 0 {
                guard var connection = connections[fd] else { continue }
                let keep = connection.service(readable: watched[index + 2].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0)
                if keep {
                    connections[fd] = connection
                } else {
                    close(fd)
                    connections[fd] = nil
                }
            }
        }
        for fd in connections.keys { close(fd) }
    }

    /// Serves one client over a pipe pair until `input` reaches end of file.
    public static func serve(input: Int32, output: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            pending += buffer[0..<count]
            var consumed = 0
            while let (payload, next) = frame(in: pending, from: consumed) {
                guard let payload else { return }  // announced too much: stop
                guard writeAll(output, framed(respond(to: payload))) else { return }
                consumed = next
            }
            pending.removeFirst(consumed)
        }
    }

    /// The payload of the frame starting at `start` and where the next begins; nil when the frame
    /// is not complete yet; a nil payload when it announces more than ``maximumPayload``.
    static func frame(in bytes: [UInt8], from start: Int) -> (ArraySlice<UInt8>?, Int)? {
        guard bytes.count - start >= 4 else { return nil }
        let length = bytes[start..<start + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= maximumPayload else { return (nil, start) }
        guard bytes.count - start - 4 >= length else { return nil }
        return (bytes[start + 4..<start + 4 + length], start + 4 + length)
    }

    /// A payload with its 4-byte big-endian length in front.
    static func framed(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + payload
    }

    /// Writes all of `bytes` to a blocking descriptor; false when the other end is gone.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    static func acceptAll(_ listener: Int32, into connections: inout [Int32: Connection]) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            setNonBlocking(fd)
            connections[fd] = Connection(fd: fd)
        }
    }

    /// One client: its unfinished request bytes and its unsent responses.
    struct Connection {
        let fd: Int32
        var input: [UInt8] = []
        var output: [UInt8] = []
        var sent = 0
        /// The client closed its sending side: answer what is complete, then close.
        var peerDone = false

        var pendingOutput: Int { output.count - sent }

        /// Reads what is there, answers every complete request, writes what it can; false
        /// when the connection is to be closed.
        mutating func service(readable: Bool) -> Bool {
            if readable && !peerDone {
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let count = read(fd, &buffer, buffer.count)
                    if count > 0 {
                        input += buffer[0..<count]
                        continue
                    }
                    if count == 0 {
                        peerDone = true
                    } else if errno == EINTR {
                        continue
                    } else if errno != EAGAIN {
                        return false
                    }
                    break
                }
                var consumed = 0
                while let (payload, next) = FramedService.frame(in: input, from: consumed) {
                    guard let payload else { return false }  // oversize: drop the client
                    output += FramedService.framed(FramedService.respond(to: payload))
                    consumed = next
                }
                input.removeFirst(consumed)
            }
            while pendingOutput > 0 {
                let written = output[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written > 0 {
                    sent += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && errno == EAGAIN {
                    break
                } else {
                    return false
                }
            }
            if sent == output.count {
                output.removeAll(keepingCapacity: true)
                sent = 0
            }
            // A client that stopped sending is closed once its answers are out.
            return !(peerDone && pendingOutput == 0)
        }
    }
}
