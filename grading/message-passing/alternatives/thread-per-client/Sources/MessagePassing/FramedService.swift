import Foundation
import Glibc

/// A correct solution unlike the reference: blocking I/O with one thread per client, and a
/// watcher thread that turns the shutdown descriptor into `shutdown(2)` on every socket, which
/// wakes the threads blocked in `accept` and `read`.
public enum FramedService {
    /// The largest payload a frame may announce, in bytes.
    public static let maximumPayload = 65_536

    /// The response to one request: its bytes in reverse order.
    static func respond(to request: ArraySlice<UInt8>) -> [UInt8] {
        Array(request.reversed())
    }

    /// The open client sockets, so shutdown can reach them.
    final class Clients: @unchecked Sendable {
        private let lock = NSLock()
        private var open: Set<Int32> = []
        private var stopping = false

        /// Registers `fd`; false if shutdown already began (the caller closes it).
        func add(_ fd: Int32) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if stopping { return false }
            open.insert(fd)
            return true
        }

        func remove(_ fd: Int32) {
            lock.lock()
            open.remove(fd)
            lock.unlock()
            close(fd)
        }

        func stopAll() {
            lock.lock()
            stopping = true
            let all = open
            lock.unlock()
            for fd in all { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }

        var isEmpty: Bool {
            lock.lock()
            defer { lock.unlock() }
            return open.isEmpty
        }
    }

    /// Serves every client that connects to `listener` until `shutdown` becomes readable.
    public static func serve(listener: Int32, shutdown: Int32) {
        let clients = Clients()
        let finished = DispatchGroup()
        let watcher = Thread {
            var entry = pollfd(fd: shutdown, events: Int16(POLLIN), revents: 0)
            while poll(&entry, 1, -1) < 0 && errno == EINTR {}
            clients.stopAll()
            Glibc.shutdown(listener, Int32(SHUT_RDWR))  // wakes accept
        }
        watcher.start()
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break
            }
            guard clients.add(fd) else {
                close(fd)
                break
            }
            finished.enter()
            Thread {
                serveConnection(fd)
                clients.remove(fd)
                finished.leave()
            }.start()
        }
        finished.wait()
    }

    /// Answers one client until it closes, sends too large a frame, or shutdown closes it.
    static func serveConnection(_ fd: Int32) {
        var header = [UInt8](repeating: 0, count: 4)
        while readExactly(fd, into: &header) {
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            guard length <= maximumPayload else { return }
            var payload = [UInt8](repeating: 0, count: length)
            guard readExactly(fd, into: &payload) else { return }
            guard writeAll(fd, framed(respond(to: payload[...]))) else { return }
        }
    }

    /// Serves one client over a pipe pair until `input` reaches end of file.
    public static func serve(input: Int32, output: Int32) {
        var header = [UInt8](repeating: 0, count: 4)
        while readExactly(input, into: &header) {
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            guard length <= maximumPayload else { return }
            var payload = [UInt8](repeating: 0, count: length)
            guard readExactly(input, into: &payload) else { return }
            guard writeAll(output, framed(respond(to: payload[...]))) else { return }
        }
    }

    /// Fills `buffer` from `fd`; false at end of file (or an error) before it is full.
    static func readExactly(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            filled += count
        }
        return true
    }

    static func framed(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + payload
    }

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
}
