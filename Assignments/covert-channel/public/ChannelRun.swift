import CheckKit
import Glibc
import PeerKit

/// Your two programs as the grader drives them: the first instance is the sender, the second
/// the receiver, each in its own sandbox with nothing shared but the grader's lock service.
/// Each transfer hands the sender a secret (role `send`) and the receiver its length (role
/// `receive`), each with a fresh connection to a fresh service; the receiver's main writes back
/// what it decoded. The roles come one after another over the bootstrap sockets, so one pair of
/// programs carries several secrets.
final class ChannelRun {
    let sender: Counterpart
    let receiver: Counterpart
    private var decoded: [UInt8] = []

    /// The seed of the extra secret each public check adds when it is graded, unknown to you;
    /// nil when you run the checks yourself. (A receiver that prints the public checks' fixed
    /// secrets without a channel gets nothing for it.)
    nonisolated(unsafe) static var gradingSeed: UInt64?

    /// The two programs the grader started for this check.
    init() throws {
        guard let sender = Counterpart.fromArguments(CommandLine.arguments),
            let receiver = Counterpart.secondFromArguments(CommandLine.arguments)
        else {
            throw CheckFailure("the grader's peer was started without its two programs (--counterpart-pid, --second-counterpart-pid)")
        }
        self.sender = sender
        self.receiver = receiver
    }

    deinit {
        close(CounterpartRole.bootstrapDescriptor)
        close(CounterpartRole.secondBootstrapDescriptor)
    }

    /// What one transfer delivered, and in how many rounds.
    struct Transfer {
        var sent: [Bool]
        var received: [Bool]
        var rounds: Int
    }

    /// The most rounds a transfer of `bits` bits may take: 40 per bit, and 200 to start and end.
    static func roundLimit(bits: Int) -> Int { 40 * bits + 200 }

    /// Sends `secret` from your sender to your receiver through a fresh lock service.
    func transfer(_ secret: [Bool], order: LockService.Order) throws -> Transfer {
        let senderSocket = try Self.socketPair(), receiverSocket = try Self.socketPair()
        // The secret goes to the sender on a pipe (a role's arguments are short).
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            throw CheckFailure("the grader cannot create a pipe (errno \(errno)): the grader's problem")
        }
        pipeEnds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        var text = secret.map { $0 ? UInt8(0x31) : UInt8(0x30) }
        text.append(0x0A)
        let written = text.withUnsafeBytes { write(pipeEnds[1], $0.baseAddress, $0.count) }
        close(pipeEnds[1])
        do {
            // The programs' ends are closed here at once: the service must see a program's
            // connection end when the program closes it.
            defer { close(senderSocket.1); close(receiverSocket.1); close(pipeEnds[0]) }
            guard written == text.count else { throw CheckFailure("the grader cannot write the secret to a pipe: the grader's problem") }
            try CounterpartRole(name: "send", arguments: [String(secret.count)], descriptors: [senderSocket.1, pipeEnds[0]])
                .send(over: CounterpartRole.bootstrapDescriptor)
            try CounterpartRole(name: "receive", arguments: [String(secret.count)], descriptors: [receiverSocket.1])
                .send(over: CounterpartRole.secondBootstrapDescriptor)
        } catch let failure as CheckFailure {
            throw failure
        } catch {
            throw CheckFailure("your programs did not take their roles from the grader (did one of them end early?): \(error)")
        }
        let service = LockService(
            clients: [
                LockService.Client(name: "your sender", socket: senderSocket.0, counterpart: sender),
                LockService.Client(name: "your receiver", socket: receiverSocket.0, counterpart: receiver),
            ], order: order)
        try service.run(maxRounds: Self.roundLimit(bits: secret.count), purpose: "sending \(secret.count) bits")
        let received = try awaitDecoded(count: secret.count)
        return Transfer(sent: secret, received: received, rounds: service.rounds)
    }

    /// Fails the check unless `transfer` delivered its secret exactly; `context` says which, and
    /// `receiver` names the end that decoded it.
    static func expectExact(_ transfer: Transfer, _ context: String, receiver: String = "your receiver") throws {
        guard transfer.received.count == transfer.sent.count else {
            throw CheckFailure("\(context): \(receiver) decoded \(transfer.received.count) bits; \(transfer.sent.count) were sent")
        }
        guard let first = transfer.sent.indices.first(where: { transfer.sent[$0] != transfer.received[$0] }) else { return }
        let wrong = transfer.sent.indices.filter { transfer.sent[$0] != transfer.received[$0] }.count
        throw CheckFailure("\(context): \(wrong) of \(transfer.sent.count) bits arrived wrong, the first at bit \(first) (sent \(transfer.sent[first] ? 1 : 0), decoded \(transfer.received[first] ? 1 : 0))")
    }

    /// Reads the receiver's line of decoded bits from its bootstrap socket.
    private func awaitDecoded(count: Int) throws -> [Bool] {
        // A line of `count` bits, or "error " and a short message: nothing longer is read.
        let limit = max(count, 400) + 8
        while true {
            if let newline = decoded.firstIndex(of: 0x0A) {
                let line = decoded[..<newline]
                decoded.removeFirst(newline + 1)
                if line.starts(with: Array("error ".utf8)) {
                    throw CheckFailure("your receiver failed: \(String(decoding: line.dropFirst(6).prefix(300), as: UTF8.self))")
                }
                guard line.allSatisfy({ $0 == 0x30 || $0 == 0x31 }) else {
                    throw CheckFailure("your receiver's result is not bits")
                }
                return line.map { $0 == 0x31 }
            }
            guard decoded.count <= limit else {
                throw CheckFailure("your receiver wrote more than \(limit) bytes without ending the line of the \(count) bits it decoded")
            }
            var descriptor = pollfd(fd: CounterpartRole.secondBootstrapDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4_096)
                let got = buffer.withUnsafeMutableBytes { recv(CounterpartRole.secondBootstrapDescriptor, $0.baseAddress, $0.count, 0) }
                if got > 0 { decoded += buffer[0..<got]; continue }
                if got < 0 && errno == EINTR { continue }
                throw CheckFailure("your receiver ended before reporting the \(count) bits it decoded")
            }
            let readable = { () -> Bool in
                var descriptor = pollfd(fd: CounterpartRole.secondBootstrapDescriptor, events: Int16(POLLIN), revents: 0)
                return poll(&descriptor, 1, 0) > 0
            }
            switch receiver.wait(until: readable, cpuBudget: 5) {
            case .met: continue
            case .asleep: throw CheckFailure("your receiver stopped without returning the \(count) bits it decoded (every thread of it waits)")
            case .busy(let seconds): throw CheckFailure("your receiver used \(Int(seconds)) s of CPU time after the service was done with it")
            case .safetyLimit: throw CheckIncomplete(waitingFor: "the receiver's decoded bits")
            }
        }
    }

    /// A connected pair of stream sockets, the first the service's end.
    static func socketPair() throws -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw CheckFailure("the grader cannot create a socket pair (errno \(errno)): the grader's problem")
        }
        return (pair[0], pair[1])
    }

    /// `count` random bits from `seed`.
    static func secret(_ count: Int, seed: UInt64) -> [Bool] {
        var random = PeerRandom(seed: seed)
        return (0..<count).map { _ in random.next() & 1 == 1 }
    }
}
