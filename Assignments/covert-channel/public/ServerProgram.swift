import CheckKit
import Glibc
import PeerKit

/// Part 2: your program as the lock service (role `serve`), with the grader as every client.
///
/// The grader sends one request at a time and waits for its reply. A request your server does
/// not answer is *waiting* — decided when your server is asleep (every thread blocked in the
/// kernel) without having replied, which is what a client waiting in `L` looks like from outside,
/// whatever the machine's load.
final class ServerProgram {
    /// The reply to one request, as the grader saw it.
    enum Reply: Equatable, CustomStringConvertible {
        case yes, no, waiting

        var description: String {
            switch self {
            case .yes: "Y"
            case .no: "N"
            case .waiting: "no reply (waiting)"
            }
        }
    }

    let counterpart: Counterpart
    let principals: [Int]
    private var sockets: [Int32]
    private var pending: [Int: UInt8] = [:]

    /// Starts your server with one client per entry of `principals` (the principal it acts for).
    init(principals: [Int]) throws {
        guard let counterpart = Counterpart.fromArguments(CommandLine.arguments) else {
            throw CheckFailure("the grader's peer was started without its program (--counterpart-pid)")
        }
        self.counterpart = counterpart
        self.principals = principals
        var ours: [Int32] = [], theirs: [Int32] = []
        for _ in principals {
            let pair = try ChannelRun.socketPair()
            ours.append(pair.0)
            theirs.append(pair.1)
        }
        sockets = ours
        defer { theirs.forEach { close($0) } }
        do {
            try CounterpartRole(name: "serve", arguments: [principals.map(String.init).joined(separator: ",")], descriptors: theirs)
                .send(over: CounterpartRole.bootstrapDescriptor)
        } catch {
            throw CheckFailure("your program did not take the serve role from the grader: \(error)")
        }
    }

    deinit { sockets.forEach { if $0 >= 0 { close($0) } } }

    /// How failure messages name client `index`.
    func name(_ index: Int) -> String { "client \(index + 1) (principal \(principals[index]))" }

    /// Sends one request from client `index` and returns the reply, or `.waiting` if your server
    /// went to sleep without answering.
    func request(_ index: Int, _ operation: Character, _ lock: Int) throws -> Reply {
        var bytes: [UInt8] = [operation.asciiValue!, UInt8(lock)]
        guard send(sockets[index], &bytes, 2, Int32(MSG_NOSIGNAL)) == 2 else {
            throw CheckFailure("your server closed the connection of \(name(index)), which had broken no rule, before its request \(operation) \(lock)")
        }
        return try awaitReply(index, "answering \(name(index))'s request \(operation) \(lock)", settleIsWaiting: true)
    }

    /// Waits for the reply a waiting client must now get (its lock was released).
    func awaitGrant(_ index: Int, _ why: String) throws {
        let reply = try awaitReply(index, "granting \(name(index)) the lock it waits for (\(why))", settleIsWaiting: true)
        guard reply == .yes else {
            throw CheckFailure(reply == .waiting
                ? "\(name(index)) waits for a lock that was released (\(why)); your server went to sleep without granting it: a lost wakeup"
                : "\(name(index)) waits in L, and your server answered it N (\(why)); L is answered Y once the lock is held")
        }
    }

    /// Fails if any of `clients` got a byte it should not have (checked once your server sleeps).
    func expectSilence(_ clients: [Int], _ why: String) throws {
        _ = try? counterpart.wait(until: { false }, settle: .milliseconds(100), cpuBudget: 5)
        for index in clients where readable(index) || pending[index] != nil {
            throw CheckFailure("your server sent \(name(index)) a reply while it should still wait (\(why))")
        }
    }

    /// Closes client `index`'s connection (its locks must then be released), and waits until
    /// your server is asleep again: it has then seen the end of file and released them, so the
    /// next request does not race with that release. (A server with a thread per client handles
    /// a hang-up on one thread while another thread answers the next request; which came first
    /// would otherwise depend on the machine's load.)
    func disconnect(_ index: Int) {
        close(sockets[index])
        sockets[index] = -1
        _ = try? counterpart.wait(until: { false }, settle: .milliseconds(100), cpuBudget: 5)
    }

    /// Sends raw bytes from client `index` (for a malformed request).
    func sendRaw(_ index: Int, _ bytes: [UInt8]) {
        var copy = bytes
        _ = send(sockets[index], &copy, copy.count, Int32(MSG_NOSIGNAL))
    }

    /// Whether your server closed client `index`'s connection (end of file), once it sleeps.
    func isClosedByServer(_ index: Int) throws -> Bool {
        _ = try? counterpart.wait(until: { self.readable(index) }, settle: .milliseconds(100), cpuBudget: 5)
        guard readable(index) else { return false }
        var byte: UInt8 = 0
        let got = recv(sockets[index], &byte, 1, Int32(MSG_DONTWAIT))
        // End of file, or a reset (closed with bytes still unread): closed either way.
        return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    }

    private func readable(_ index: Int) -> Bool {
        var descriptor = pollfd(fd: sockets[index], events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    private func awaitReply(_ index: Int, _ what: String, settleIsWaiting: Bool) throws -> Reply {
        if pending[index] == nil {
            var descriptor = pollfd(fd: sockets[index], events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) <= 0 {
                switch counterpart.wait(until: { self.readable(index) }, cpuBudget: 5) {
                case .met: break
                case .asleep:
                    if !counterpart.isAlive { throw CheckFailure("your server ended before \(what)") }
                    return .waiting
                case .busy(let seconds):
                    throw CheckFailure("your server used \(Int(seconds)) s of CPU time without \(what): it spins instead of sleeping in poll")
                case .safetyLimit:
                    throw CheckIncomplete(waitingFor: what)
                }
            }
            var byte: UInt8 = 0
            let got = recv(sockets[index], &byte, 1, 0)
            guard got == 1 else { throw CheckFailure("your server closed the connection of \(name(index)) instead of \(what)") }
            pending[index] = byte
        }
        let byte = pending.removeValue(forKey: index)!
        switch byte {
        case 0x59: return .yes
        case 0x4E: return .no
        default: throw CheckFailure("your server replied \(LockService.hex(byte)) to \(name(index)); a reply is Y (0x59) or N (0x4E)")
        }
    }

    /// Expects `reply` for a request, naming the rule in the failure.
    static func expect(_ got: Reply, _ expected: Reply, _ request: String, _ rule: String) throws {
        guard got != expected else { return }
        throw CheckFailure("\(request): your server answered \(got), expected \(expected) — \(rule)")
    }
}
