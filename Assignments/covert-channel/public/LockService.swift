import CheckKit
import Glibc
import PeerKit

/// The shared resource of the covert channel: a lock service with four exclusive locks, run by
/// the grader, that both of your programs use and that serves its clients **in rounds**.
///
/// Each round it waits for one request from every client that is connected and not waiting in
/// a `lock`, carries the requests out one after another in the order the check sets for that
/// round (sender first, receiver first, or drawn from the check's seed), then replies. A client
/// waiting in `lock` is granted the lock, and replied to, in the round in which it is released.
/// The channel's speed is therefore counted in rounds, which depend on the two programs' code
/// and the check's seed alone: the same on every machine, under any load.
///
/// Wire format (a stream socket per client): a request is two bytes, an operation and a lock
/// number 0–3; the reply is one byte, `Y` or `N`.
/// - `L` lock: wait until the lock is free, then hold it (`Y`; at once if already yours).
/// - `U` unlock: release a lock you hold (`Y`), or `N` if you do not hold it.
/// - `T` try: take the lock if it is free or yours (`Y`), else `N`, without waiting.
/// - `Q` query: `Y` if another client holds the lock, else `N`; changes nothing (like `fcntl`'s
///   `F_GETLK`).
/// A client whose connection closes releases every lock it holds.
///
/// The service never blocks on a client: replies a client has not read yet wait in the
/// service (sent as the client's socket takes them), so a client that sends many requests
/// before reading its replies is served the same as one that reads each at once.
///
/// Not thread-safe: one thread runs it.
final class LockService {
    /// How many locks the service has.
    static let lockCount = 4

    /// How the requests of one round are ordered.
    enum Order: Equatable {
        case senderFirst
        case receiverFirst
        /// A fresh coin for every round, from this seed.
        case seeded(UInt64)
    }

    /// One client: a student program (watched through `/proc`) or one of the grader's own ends.
    final class Client {
        /// How the failure messages name it ("your sender").
        let name: String
        let socket: Int32
        let counterpart: Counterpart?
        var waitingFor: Int?
        var ended = false
        var requests = 0
        fileprivate var pending: [UInt8] = []
        /// Replies owed that the client's socket has not taken yet.
        fileprivate var outgoing: [UInt8] = []

        init(name: String, socket: Int32, counterpart: Counterpart?) {
            self.name = name
            self.socket = socket
            self.counterpart = counterpart
        }

        deinit { close(socket) }
    }

    let clients: [Client]
    private(set) var holders: [Int?] = Array(repeating: nil, count: lockCount)
    /// Rounds carried out so far.
    private(set) var rounds = 0
    private var random: PeerRandom
    private let order: Order

    /// A service for `clients` (the sender first) with rounds ordered by `order`.
    init(clients: [Client], order: Order) {
        self.clients = clients
        self.order = order
        if case .seeded(let seed) = order { random = PeerRandom(seed: seed) } else { random = PeerRandom(seed: 0) }
    }

    /// Serves until every client has closed its connection, or fails the check when the
    /// clients deadlock, break the protocol, or need more than `maxRounds` rounds.
    func run(maxRounds: Int, purpose: String) throws {
        while clients.contains(where: { !$0.ended }) {
            let active = clients.indices.filter { !clients[$0].ended && clients[$0].waitingFor == nil }
            if active.isEmpty {
                let waiting = clients.filter { !$0.ended }.map { "\($0.name) waits in lock \($0.waitingFor!)" }
                throw CheckFailure("deadlock after \(rounds) rounds of \(purpose): \(waiting.joined(separator: " and ")), each held by the other; nothing can release them")
            }
            guard rounds < maxRounds else {
                let still = clients.filter { !$0.ended }.map(\.name).joined(separator: " and ")
                throw CheckFailure("\(still) still made requests after \(maxRounds) rounds of \(purpose) (the limit for it): the channel never finished; does one side wait for a signal the other never sends?")
            }
            var requests: [(client: Int, operation: UInt8, lock: Int)] = []
            for index in active {
                if let request = try awaitRequest(clients[index]) { requests.append((index, request.0, request.1)) }
            }
            if requests.count == 2 && firstIsSecond() { requests.swapAt(0, 1) }
            for request in requests { try apply(request.operation, lock: request.lock, by: request.client) }
            flushAll()
            rounds += 1
        }
    }

    /// Whether this round carries out the receiver's request before the sender's.
    private func firstIsSecond() -> Bool {
        switch order {
        case .senderFirst: return false
        case .receiverFirst: return true
        case .seeded: return random.next() & 1 == 1
        }
    }

    /// The next two-byte request of `client`, or nil once it closed its connection (its locks
    /// released).
    private func awaitRequest(_ client: Client) throws -> (UInt8, Int)? {
        while client.pending.count < 2 {
            if try !readSome(client, waiting: 100) {
                if client.ended { return nil }
                try awaitReadable(client)
            }
        }
        let operation = client.pending[0], lock = Int(client.pending[1])
        client.pending.removeFirst(2)
        client.requests += 1
        guard [0x4C, 0x55, 0x54, 0x51].contains(operation), lock < Self.lockCount else {
            throw CheckFailure("\(client.name) sent the request bytes \(Self.hex(operation)) \(Self.hex(UInt8(lock))) (request \(client.requests)): a request is an operation L, U, T or Q (0x4C, 0x55, 0x54, 0x51) then a lock number 0–3")
        }
        return (operation, lock)
    }

    /// Reads what has arrived (waiting up to `milliseconds` for it); false if nothing did.
    private func readSome(_ client: Client, waiting milliseconds: Int32) throws -> Bool {
        flushAll()
        var descriptor = pollfd(fd: client.socket, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { recv(client.socket, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            client.pending += buffer[0..<count]
            return true
        }
        if count < 0 && errno == EINTR { return true }
        if !client.pending.isEmpty {
            throw CheckFailure("\(client.name) ended in the middle of a request (after its byte \(Self.hex(client.pending[0]))): a request is two bytes")
        }
        end(client)
        return false
    }

    /// Waits for `client` to send, judging a program that does not by what the kernel says it
    /// is doing: asleep without sending is stuck, spinning is busy, and only the safety limit
    /// (a machine too loaded to tell) makes the check incomplete.
    private func awaitReadable(_ client: Client) throws {
        let what = "\(client.name)'s next request (round \(rounds + 1))"
        guard let counterpart = client.counterpart else {
            // One of the grader's own ends: it always sends; a long silence is the machine's.
            var descriptor = pollfd(fd: client.socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 60_000) > 0 else { throw CheckIncomplete(waitingFor: what) }
            return
        }
        let readable = { () -> Bool in
            // A client may be reading replies it was owed: hand them over while waiting.
            self.flushAll()
            var descriptor = pollfd(fd: client.socket, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 0) > 0
        }
        switch counterpart.wait(until: readable, cpuBudget: 5) {
        case .met:
            return
        case .asleep:
            if !counterpart.isAlive { return }  // its end of file is read next
            throw CheckFailure(
                client.pending.isEmpty
                    ? "\(client.name) stopped making requests after \(client.requests) (every thread of it waits, and the service owes it no reply): was a reply read twice, or a request never sent?"
                    : "\(client.name) sent one byte of a request and then waited: a request is two bytes, sent together")
        case .busy(let seconds):
            throw CheckFailure("\(client.name) used \(Int(seconds)) s of CPU time without sending its next request: it loops without asking the service anything")
        case .safetyLimit:
            throw CheckIncomplete(waitingFor: what)
        }
    }

    /// Carries out one request and replies (or leaves the client waiting).
    private func apply(_ operation: UInt8, lock: Int, by index: Int) throws {
        let client = clients[index]
        switch operation {
        case 0x4C:  // L
            if holders[lock] == nil || holders[lock] == index {
                holders[lock] = index
                reply(client, true)
            } else {
                client.waitingFor = lock
            }
        case 0x55:  // U
            guard holders[lock] == index else { return reply(client, false) }
            release(lock)
            reply(client, true)
        case 0x54:  // T
            let free = holders[lock] == nil || holders[lock] == index
            if free { holders[lock] = index }
            reply(client, free)
        default:  // Q
            reply(client, holders[lock] != nil && holders[lock] != index)
        }
    }

    /// Frees `lock` and grants it to a client waiting for it.
    private func release(_ lock: Int) {
        holders[lock] = nil
        if let waiter = clients.indices.first(where: { clients[$0].waitingFor == lock && !clients[$0].ended }) {
            holders[lock] = waiter
            clients[waiter].waitingFor = nil
            reply(clients[waiter], true)
        }
    }

    private func end(_ client: Client) {
        client.ended = true
        client.waitingFor = nil
        guard let index = clients.firstIndex(where: { $0 === client }) else { return }
        for lock in holders.indices where holders[lock] == index { release(lock) }
    }

    private func reply(_ client: Client, _ yes: Bool) {
        guard !client.ended else { return }
        client.outgoing.append(yes ? 0x59 : 0x4E)
        flush(client)
    }

    private func flushAll() { clients.forEach(flush) }

    /// Sends what `client` is owed without blocking; what its socket does not take now waits
    /// for the next try. A closed connection takes nothing more (its end of file is read next).
    private func flush(_ client: Client) {
        while !client.outgoing.isEmpty && !client.ended {
            let sent = client.outgoing.withUnsafeBytes { send(client.socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if sent > 0 {
                client.outgoing.removeFirst(sent)
            } else if sent < 0 && errno == EINTR {
                continue
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return
            } else {
                client.outgoing.removeAll()
            }
        }
    }

    static func hex(_ byte: UInt8) -> String {
        "0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
