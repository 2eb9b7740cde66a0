import SyncPrimitives
import TurnstileRuntime

/// Dining philosophers by Chandy and Misra: a fully distributed solution in which
/// philosophers share nothing and exchange forks and requests as messages.
///
/// Each fork is held by one of its two philosophers and is **dirty** (used since it arrived)
/// or **clean**. For each fork there is one **request token**, held by whichever neighbour
/// does not have the fork. A hungry philosopher sends the token of each missing fork to the
/// neighbour holding it. A philosopher who receives a request gives the fork up (cleaning it)
/// if it is dirty and it is not eating; otherwise it defers the request until it has eaten.
/// Eating dirties both forks. Initially every fork is dirty and held by the lower-numbered
/// neighbour, so the "who yields to whom" graph is acyclic, and it stays acyclic: no deadlock.
///
/// Every philosopher has a ``Mailbox``; the table's methods run the protocol on the calling
/// philosopher's own thread, over its private state. A thinking philosopher should call
/// ``serviceWhileThinking(_:file:line:)`` now and then to answer requests, and
/// ``leave(_:file:line:)`` when done, which hands its forks to its neighbours.
///
/// - Guarantees: neighbours never eat at once; no deadlock; no starvation, with a bound: once
///   a hungry philosopher has sent its requests, each neighbour eats at most once before it
///   does (a clean fork is never surrendered to a neighbour who has not eaten since).
/// - Blocking: `pickUp` sleeps on the philosopher's mailbox until both forks arrive; the other
///   methods never block.
/// - Precondition: seat `i`'s methods are called only by seat `i`'s thread.
public final class ChandyMisraTable: DiningTable {
    /// A message between neighbours.
    enum Message: Sendable {
        /// The sender asks for `fork` (and hands over that fork's request token).
        case request(fork: Int, from: Int)
        /// The sender hands over `fork`, clean.
        case fork(Int)
        /// The sender leaves the table and hands over `fork` for good: nobody will ask for it.
        case farewell(Int)
    }

    /// What one philosopher knows; touched only by its own thread.
    struct Seat {
        var holds = [false, false]
        var dirty = [false, false]
        var token = [false, false]
        var hungry = false
        var eating = false
    }

    /// How many philosophers (and forks) the table has, fixed at creation.
    public let seats: Int
    private let mailboxes: [Mailbox<Message>]
    private let state: [Shared<Seat>]
    private let probe: (@Sendable (DiningEvent) -> Void)?

    /// Creates a table for `seats` philosophers (at least 2), each fork dirty at the
    /// lower-numbered neighbour.
    public convenience init(seats: Int) {
        self.init(seats: seats, probe: nil)
    }

    package init(seats: Int, probe: (@Sendable (DiningEvent) -> Void)?) {
        precondition(seats >= 2, "dining philosophers need at least two seats")
        self.seats = seats
        self.probe = probe
        mailboxes = (0..<seats).map { Mailbox(name: "mailbox\($0)") }
        var initial = Array(repeating: Seat(), count: seats)
        for seat in 0..<seats {
            for side in 0..<2 {
                let neighbour = side == 0 ? (seat + seats - 1) % seats : (seat + 1) % seats
                let mine = seat < neighbour
                initial[seat].holds[side] = mine
                initial[seat].dirty[side] = mine
                initial[seat].token[side] = !mine
            }
        }
        state = initial.enumerated().map { Shared($1, name: "seat\($0)") }
    }

    /// Requests missing forks and handles messages until holding both, then eats.
    public func pickUp(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        var me = state[seat].load(file: file, line: line)
        me.hungry = true
        drain(seat, &me, file: file, line: line)
        var announced = false
        while true {
            for side in 0..<2 where !me.holds[side] && me.token[side] {
                me.token[side] = false
                mailboxes[neighbour(seat, side)].send(.request(fork: fork(seat, side), from: seat), file: file, line: line)
            }
            if !announced {
                announced = true
                probe?(.waiting(seat))
            }
            if me.holds[0] && me.holds[1] { break }
            handle(mailboxes[seat].receive(file: file, line: line), seat, &me, file: file, line: line)
        }
        me.hungry = false
        me.eating = true
        probe?(.eating(seat))
        state[seat].store(me, file: file, line: line)
    }

    /// Dirties both forks and answers every deferred or pending request.
    public func putDown(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        var me = state[seat].load(file: file, line: line)
        guard me.eating else { reportTableMisuse("seat \(seat) put down forks without eating", file: file, line: line) }
        probe?(.thinking(seat))
        me.eating = false
        me.dirty = [true, true]
        for side in 0..<2 where me.token[side] && me.holds[side] {
            giveUp(side, seat, &me, file: file, line: line)
        }
        drain(seat, &me, file: file, line: line)
        state[seat].store(me, file: file, line: line)
    }

    /// Answers pending requests (dirty forks go to whoever asked); never blocks.
    public func serviceWhileThinking(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        var me = state[seat].load(file: file, line: line)
        drain(seat, &me, file: file, line: line)
        state[seat].store(me, file: file, line: line)
    }

    /// Hands every fork this seat holds to the neighbour who shares it, for good.
    public func leave(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        var me = state[seat].load(file: file, line: line)
        for side in 0..<2 where me.holds[side] {
            me.holds[side] = false
            mailboxes[neighbour(seat, side)].send(.farewell(fork(seat, side)), file: file, line: line)
        }
        state[seat].store(me, file: file, line: line)
    }

    private func drain(_ seat: Int, _ me: inout Seat, file: StaticString, line: UInt) {
        while let message = mailboxes[seat].tryReceive(file: file, line: line) {
            handle(message, seat, &me, file: file, line: line)
        }
    }

    private func handle(_ message: Message, _ seat: Int, _ me: inout Seat, file: StaticString, line: UInt) {
        switch message {
        case .fork(let fork):
            let side = self.side(of: fork, at: seat)
            me.holds[side] = true
            me.dirty[side] = false
        case .farewell(let fork):
            let side = self.side(of: fork, at: seat)
            me.holds[side] = true
            me.dirty[side] = false
            me.token[side] = false
        case .request(let fork, _):
            let side = self.side(of: fork, at: seat)
            me.token[side] = true
            if me.holds[side] && me.dirty[side] && !me.eating {
                giveUp(side, seat, &me, file: file, line: line)
            }
        }
    }

    private func giveUp(_ side: Int, _ seat: Int, _ me: inout Seat, file: StaticString, line: UInt) {
        me.holds[side] = false
        me.dirty[side] = false
        mailboxes[neighbour(seat, side)].send(.fork(fork(seat, side)), file: file, line: line)
    }

    private func fork(_ seat: Int, _ side: Int) -> Int { side == 0 ? seat : (seat + 1) % seats }
    private func neighbour(_ seat: Int, _ side: Int) -> Int { side == 0 ? (seat + seats - 1) % seats : (seat + 1) % seats }
    private func side(of fork: Int, at seat: Int) -> Int { fork == seat ? 0 : 1 }
}
