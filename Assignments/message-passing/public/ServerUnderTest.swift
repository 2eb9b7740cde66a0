import CheckKit
import Glibc
import PeerKit

/// The student's program in the "serve" role, as the grader's peer drives it: a listening
/// socket and a shutdown pipe handed over on the bootstrap socket, clients connected from here.
final class ServerUnderTest {
    /// The program as the kernel sees it (CPU, descriptors, asleep or running).
    let counterpart: Counterpart
    private let address: sockaddr_un
    private var shutdownWrite: Int32
    private var connected = 0

    /// Hands the program its role: a listening Unix-domain socket (abstract address) and the
    /// read end of the shutdown pipe.
    init() throws {
        // A client write to a connection the program closed must fail with EPIPE, not end the peer.
        signal(SIGPIPE, SIG_IGN)
        guard let counterpart = Counterpart.fromArguments(CommandLine.arguments) else {
            throw CheckFailure("the grader's peer was started without its program (--counterpart-pid)")
        }
        self.counterpart = counterpart
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name = Array("turnstile-mp-\(getpid())-\(UInt32.random(in: 0 ... .max))".utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw[0] = 0  // abstract: no file, gone with the socket
            for (index, byte) in name.enumerated() { raw[index + 1] = byte }
        }
        self.address = address
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var bound = address
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + name.count)
        let status = withUnsafePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        guard listener >= 0, status == 0, listen(listener, 64) == 0 else {
            throw CheckFailure("the grader's peer cannot create its listening socket (errno \(errno))")
        }
        self.addressLength = length
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { throw CheckFailure("the grader's peer cannot create a pipe (errno \(errno))") }
        shutdownWrite = pipeEnds[1]
        defer {
            close(listener)
            close(pipeEnds[0])
        }
        do {
            try CounterpartRole(name: "serve", descriptors: [listener, pipeEnds[0]]).send(over: CounterpartRole.bootstrapDescriptor)
        } catch {
            throw CheckFailure("your program did not take its role from the grader: \(error)")
        }
    }

    private let addressLength: socklen_t

    deinit {
        if shutdownWrite >= 0 { close(shutdownWrite) }
    }

    /// A new client connection (named for messages: A, B, C, …).
    func connect() throws -> Client {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var target = address
        let status = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, addressLength) }
        }
        guard fd >= 0, status == 0 else {
            throw CheckFailure("a client could not connect to your server (errno \(errno)): is it still listening?")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let name = connected < 26 ? String(UnicodeScalar(UInt8(65 + connected))) : "#\(connected + 1)"
        connected += 1
        return Client(fd: fd, name: name, counterpart: counterpart)
    }

    /// Asks the program to shut down: the write end of the shutdown pipe is closed.
    func requestShutdown() {
        if shutdownWrite >= 0 { close(shutdownWrite) }
        shutdownWrite = -1
    }

    /// Waits until the program is in a state that only the peer can change (asleep), so that
    /// what is measured next (descriptors) is final.
    func settle(_ what: String) throws {
        try awaitProgram(what, counterpart, until: { false }, onAsleep: {}, cpuBudget: 2)
    }
}

/// Waits for the program, judging it by what it does as the kernel sees it (see
/// `Counterpart.wait`): asleep without `condition` holding fails with "your program stopped
/// before …" (or runs `onAsleep` instead, when given), spinning fails, and the safety limit
/// makes the check incomplete.
func awaitProgram(
    _ what: @autoclosure () -> String, _ counterpart: Counterpart, until condition: () throws -> Bool,
    onAsleep: (() throws -> Void)? = nil, cpuBudget: Double = 5, settle: Duration = .milliseconds(200)
) throws {
    switch try counterpart.wait(until: condition, settle: settle, cpuBudget: cpuBudget) {
    case .met:
        return
    case .asleep:
        if let onAsleep { return try onAsleep() }
        if !counterpart.isAlive { throw CheckFailure("your program ended before \(what())") }
        throw CheckFailure("your program stopped before \(what()): every thread of it was waiting, and nothing the grader would do next could wake it")
    case .busy(let seconds):
        throw CheckFailure("your program used \(Int(seconds)) s of CPU time without \(what()): it spins or loops instead of waiting")
    case .safetyLimit:
        throw CheckIncomplete(waitingFor: what())
    }
}
