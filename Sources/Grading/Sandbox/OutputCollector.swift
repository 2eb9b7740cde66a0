import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a child's output pipes without blocking, keeping at most `limit` bytes of each.
///
/// Reading goes on while the child runs, so a chatty child never blocks on a full pipe; a stream
/// that goes past the limit ends collection so the supervisor can kill the child.
struct OutputCollector {
    private var fds: [Int32]
    private let limit: Int
    private let watcherFD: Int32
    private let stopFD: Int32?
    /// What was kept from each stream, in the order the descriptors were given.
    private(set) var data: [Data]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// - Parameters:
    ///   - fds: Read ends of the pipes (set non-blocking here).
    ///   - limit: Bytes kept per stream.
    ///   - watcher: A descriptor that becomes readable when the child exits; it ends a wait early.
    ///   - stop: A descriptor that becomes readable (or hung up) when the supervisor is to stop the child.
    init(fds: [Int32], limit: Int, watcher: Int32, stop: Int32? = nil) {
        self.fds = fds
        self.limit = max(0, limit)
        self.watcherFD = watcher
        self.stopFD = stop
        data = Array(repeating: Data(), count: fds.count)
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// What one wait saw.
    enum Poll { case going, overLimit, stopRequested }

    /// Waits up to `timeout` for output, the child's exit or a stop request, and reads what is there.
    mutating func pollOnce(timeout: Duration) -> Poll {
        var pollFDs = (fds + [watcherFD] + (stopFD.map { [$0] } ?? [])).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = min(Int64(Int32.max), seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        let ready = poll(&pollFDs, nfds_t(pollFDs.count), Int32(max(1, milliseconds)))
        guard ready > 0 else { return .going }
        for index in fds.indices where pollFDs[index].revents != 0 {
            if !readAvailable(index) { return .overLimit }
        }
        if stopFD != nil, pollFDs[fds.count + 1].revents != 0 { return .stopRequested }
        return .going
    }

    /// Reads whatever is left in every pipe without waiting.
    /// - Returns: False if a stream went past the limit.
    mutating func drain() -> Bool {
        fds.indices.allSatisfy { readAvailable($0) }
    }

    /// Reads until the pipe is empty or closed; returns false if the limit was passed.
    private mutating func readAvailable(_ index: Int) -> Bool {
        let fd = fds[index]
        guard fd >= 0 else { return true }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return true  // EAGAIN: nothing more for now
            }
            if count == 0 {
                fds[index] = -1  // end of file; poll ignores negative descriptors
                return true
            }
            let room = limit - data[index].count
            data[index].append(contentsOf: buffer[0..<min(room, count)])
            if count > room { return false }
        }
    }
}
