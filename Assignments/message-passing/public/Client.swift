import CheckKit
import Glibc
import PeerKit

/// One client connection of the grader's peer (a socket, or a pipe pair), non-blocking; every
/// wait goes through `awaitProgram`, so a program that stops or spins is told apart from a slow
/// machine.
final class Client {
    private(set) var readFD: Int32
    private(set) var writeFD: Int32
    private let isSocket: Bool
    /// A, B, C, … for messages.
    let name: String
    let counterpart: Counterpart
    /// Bytes received and not yet parsed into frames.
    private var received: [UInt8] = []
    private var closedByServer = false

    /// A connected socket.
    convenience init(fd: Int32, name: String, counterpart: Counterpart) {
        self.init(readFD: fd, writeFD: fd, isSocket: true, name: name, counterpart: counterpart)
    }

    /// Separate descriptors to read responses from and write requests to (a pipe pair).
    init(readFD: Int32, writeFD: Int32, isSocket: Bool, name: String, counterpart: Counterpart) {
        self.readFD = readFD
        self.writeFD = writeFD
        self.isSocket = isSocket
        self.name = name
        self.counterpart = counterpart
        for fd in Set([readFD, writeFD]) { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit { closeNow() }

    /// Closes the connection at once, whatever is unsent or unread (as when a client dies).
    func closeNow() {
        closeSending()
        if readFD >= 0 { close(readFD) }
        readFD = -1
    }

    /// Ends what the client sends (end of file for the program), keeping the reading side.
    func closeSending() {
        if isSocket {
            if writeFD >= 0 { shutdown(writeFD, Int32(SHUT_WR)) }
        } else if writeFD >= 0 {
            close(writeFD)
            writeFD = -1
        }
    }

    /// A payload with its 4-byte big-endian length in front.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        header(UInt32(payload.count)) + payload
    }

    /// The 4-byte big-endian length field announcing `length` bytes.
    static func header(_ length: UInt32) -> [UInt8] {
        [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
    }

    /// What the service must answer to `request`.
    static func expectedResponse(_ request: [UInt8]) -> [UInt8] { Array(request.reversed()) }

    /// Sends what the socket takes now; the count sent (0 when full). Throws when the server is gone.
    func sendSome(_ bytes: ArraySlice<UInt8>) throws -> Int {
        guard !bytes.isEmpty else { return 0 }
        let sent = bytes.withUnsafeBytes { write(writeFD, $0.baseAddress, $0.count) }
        if sent >= 0 { return sent }
        if errno == EAGAIN || errno == EINTR { return 0 }
        throw CheckFailure("client \(name): your server closed the connection while the client was still sending (\(String(cString: strerror(errno))))")
    }

    /// Reads what has arrived; false when nothing was there. Notes an orderly or reset close.
    @discardableResult
    func receiveSome(atMost limit: Int = 256 * 1024) throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
        if count > 0 {
            received += buffer[0..<count]
            return true
        }
        if count == 0 || (errno != EAGAIN && errno != EINTR) {
            closedByServer = true
        }
        return false
    }

    /// Takes one complete frame from what has arrived, if there is one; a frame announcing more
    /// than the protocol allows fails the check (the peer never waits for it).
    func takeFrame() throws -> [UInt8]? {
        guard received.count >= 4 else { return nil }
        let length = received[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= 65_536 else {
            throw CheckFailure("client \(name): your server sent a frame announcing \(length) bytes, more than the 65,536 a response can have (is the length field big-endian?)")
        }
        guard received.count >= 4 + length else { return nil }
        let payload = Array(received[4..<4 + length])
        received.removeFirst(4 + length)
        return payload
    }

    /// Bytes sent that the server has not read yet (`SIOCOUTQ` of a socket, `FIONREAD` of a pipe).
    var unreadByServer: Int {
        var value: Int32 = 0
        return ioctl(writeFD, UInt(isSocket ? TIOCOUTQ : FIONREAD), &value) == 0 ? Int(value) : 0
    }

    /// Whether there is something to read (data, end of file or an error) right now.
    var isReadable: Bool {
        var entry = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Sends every request (pipelined: as fast as the server reads) and collects one response
    /// per request, checking each; `window` bounds the bytes sent ahead of the answers.
    /// - Parameters:
    ///   - readChunk: The most bytes taken per read (small: a slow reader).
    ///   - stallFirst: Send without reading until the program is asleep (its responses fill
    ///     the connection, so its writes cannot complete at once), then read in lockstep: after
    ///     each send and read the client waits until the program is asleep again, so it sees
    ///     the same sequence of events (how much room freed, how many bytes arrived) on every
    ///     run, whatever the load, and whether one of its writes is partial does not depend on
    ///     how fast the client happened to drain the connection meanwhile.
    func exchange(_ requests: [[UInt8]], window: Int = 1 << 20, readChunk: Int = 256 * 1024, stallFirst: Bool = false) throws {
        var outgoing: [UInt8] = []
        var ends: [Int] = []  // where each request's frame ends in `outgoing`
        for request in requests {
            outgoing += Client.frame(request)
            ends.append(outgoing.count)
        }
        var sent = 0
        var answered = 0
        var answeredBytes = 0
        if stallFirst {
            var stalled = false
            while !stalled && sent < min(outgoing.count, window) {
                sent += try sendSome(outgoing[sent..<min(outgoing.count, window)])
                try awaitProgram("reading requests from client \(name)", counterpart, until: { false }, onAsleep: { stalled = true })
            }
        }
        while answered < requests.count {
            var progressed = false
            let limit = min(outgoing.count, answeredBytes + window)
            if sent < limit {
                let count = try sendSome(outgoing[sent..<limit])
                sent += count
                progressed = count > 0
            }
            if try receiveSome(atMost: readChunk) { progressed = true }
            while let response = try takeFrame() {
                guard answered < requests.count else {
                    throw CheckFailure("client \(name): your server sent a response nobody asked for (\(response.count) bytes)")
                }
                let expected = Client.expectedResponse(requests[answered])
                guard response == expected else {
                    throw CheckFailure(
                        "client \(name): the response to request \(answered + 1) of \(requests.count) (a \(requests[answered].count)-byte request) is wrong: \(Client.describeDifference(response, expected))")
                }
                answeredBytes = ends[answered]
                answered += 1
                progressed = true
            }
            if answered == requests.count { break }
            if closedByServer {
                throw CheckFailure("client \(name): your server closed the connection after answering \(answered) of \(requests.count) requests")
            }
            if stallFirst {
                let stuck = "answering request \(answered + 1) of \(requests.count) on client \(name)'s connection (the client had sent \(sent) bytes)"
                try awaitProgram(stuck, counterpart, until: { false }, onAsleep: {}, settle: .milliseconds(20))
                if !progressed && !isReadable && !(sent < min(outgoing.count, answeredBytes + window) && isWritable) {
                    throw CheckFailure("your program stopped before \(stuck): every thread of it was waiting, and nothing the grader would do next could wake it")
                }
                continue
            }
            if !progressed {
                let waitingFor = answered
                try awaitProgram(
                    "answering request \(waitingFor + 1) of \(requests.count) on client \(name)'s connection (the client had sent \(sent) bytes)",
                    counterpart
                ) { isReadable || (sent < min(outgoing.count, answeredBytes + window) && isWritable) }
            }
        }
    }

    /// Sends every request, closes the sending side, and expects every response, then the end
    /// of the connection.
    func exchangeThenClose(_ requests: [[UInt8]]) throws {
        // Nothing is read before the sending side is closed, so the answers pile up in the
        // connection; keep the requests small enough that a server answering each before reading
        // the next never blocks on them (about 200 KB fit in one direction).
        try sendAll(requests.flatMap(Client.frame), what: "\(requests.count) requests")
        // The end is sent only once the program has taken in every whole request (it is asleep:
        // blocked writing, or waiting with answers queued), and the client reads only once the
        // program has seen the end: the same order of events under any load.
        try awaitProgram("taking in client \(name)'s requests", counterpart, until: { false }, onAsleep: {}, cpuBudget: 2)
        closeSending()
        try awaitProgram("reading the end of client \(name)'s requests", counterpart, until: { false }, onAsleep: {}, cpuBudget: 2)
        for (index, request) in requests.enumerated() {
            try awaitResponse(to: request, what: "request \(index + 1) of \(requests.count), sent before the client closed its sending side")
        }
        try awaitClosed("closing the connection once every request of a client that closed its sending side was answered")
    }

    /// Waits for the one response to `request` (sent already) and checks it.
    func awaitResponse(to request: [UInt8], what: String) throws {
        while true {
            while try receiveSome() {}
            if let response = try takeFrame() {
                let expected = Client.expectedResponse(request)
                guard response == expected else {
                    throw CheckFailure("client \(name): the response to \(what) is wrong: \(Client.describeDifference(response, expected))")
                }
                return
            }
            if closedByServer { throw CheckFailure("client \(name): your server closed the connection before answering \(what)") }
            try awaitProgram("answering \(what)", counterpart) { isReadable }
        }
    }

    /// Whether the socket takes more bytes right now.
    var isWritable: Bool {
        var entry = pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLOUT) != 0
    }

    /// Sends `bytes` completely, waiting for the server to read when the socket is full.
    func sendAll(_ bytes: [UInt8], what: String) throws {
        var sent = 0
        while sent < bytes.count {
            sent += try sendSome(bytes[sent...])
            if sent < bytes.count {
                try awaitProgram("reading \(what) from client \(name)", counterpart) { isWritable }
            }
        }
    }

    /// Waits until the server has read everything sent on this connection.
    func awaitConsumed(_ what: String) throws {
        try awaitProgram("reading \(what) from client \(name)", counterpart) { unreadByServer == 0 }
    }

    /// Waits for the server to close this connection (end of file or reset), reading and
    /// discarding anything it sends first.
    func awaitClosed(_ what: String) throws {
        try awaitProgram(what, counterpart) {
            while try receiveSome() { received.removeAll() }
            return closedByServer
        }
    }

    /// Where two byte strings first differ, for a failure message.
    static func describeDifference(_ got: [UInt8], _ expected: [UInt8]) -> String {
        if got.count != expected.count { return "\(got.count) bytes instead of \(expected.count)" }
        let index = got.indices.first { got[$0] != expected[$0] } ?? 0
        return "byte \(index) is \(got[index]) instead of \(expected[index]) (the payload must be the request's bytes in reverse order)"
    }
}
