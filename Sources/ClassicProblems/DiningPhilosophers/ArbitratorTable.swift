import SyncPrimitives
import TurnstileRuntime

/// Dining philosophers with an arbitrator (the waiter): a philosopher asks the waiter for both
/// forks at once and gets them only when both are free.
///
/// The waiter is a ``Monitor`` over who is eating. Nobody ever holds one fork while waiting for
/// the other, so the hold-and-wait condition of deadlock never arises. The waiter also keeps
/// the table fair: a philosopher whose neighbour has been hungry longer (asked earlier and
/// still waits) lets that neighbour go first, so a philosopher is never overtaken twice by
/// the same neighbour.
///
/// - Guarantees: neighbours never eat at once; no deadlock; while a philosopher waits, each
///   neighbour eats at most once before it (bound 1 per neighbour).
/// - Blocking: `pickUp` sleeps until the waiter grants both forks; `putDown` never blocks.
/// - The waiter is one central lock: every pickUp and putDown at the table goes through it,
///   which is the cost of the approach on a large table.
public final class ArbitratorTable: DiningTable {
    struct State {
        var eating: [Bool]
        /// Arrival stamp of each hungry philosopher, or nil.
        var hungrySince: [Int?]
        var clock = 0
    }

    /// How many philosophers (and forks) the table has, fixed at creation.
    public let seats: Int
    private let waiter: Monitor<State>
    private let forksFreed: MonitorCondition
    private let probe: (@Sendable (DiningEvent) -> Void)?

    /// Creates a table for `seats` philosophers (at least 2).
    public convenience init(seats: Int) {
        self.init(seats: seats, probe: nil)
    }

    package init(seats: Int, probe: (@Sendable (DiningEvent) -> Void)?) {
        self.probe = probe
        precondition(seats >= 2, "dining philosophers need at least two seats")
        self.seats = seats
        waiter = Monitor(
            State(eating: Array(repeating: false, count: seats), hungrySince: Array(repeating: nil, count: seats)),
            name: "waiter")
        forksFreed = waiter.makeCondition(name: "forksFreed")
    }

    /// Asks the waiter for both forks and waits until they are granted.
    public func pickUp(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        let left = (seat + seats - 1) % seats
        let right = (seat + 1) % seats
        waiter.withMonitor(file: file, line: line) { scope in
            scope.state.clock += 1
            scope.state.hungrySince[seat] = scope.state.clock
            probe?(.waiting(seat))
            scope.wait(forksFreed, until: { state in
                let mine = state.hungrySince[seat]!
                func yields(to other: Int) -> Bool { state.eating[other] || (state.hungrySince[other].map { $0 < mine } ?? false) }
                return !yields(to: left) && !yields(to: right)
            }, file: file, line: line)
            scope.state.hungrySince[seat] = nil
            scope.state.eating[seat] = true
            probe?(.eating(seat))
        }
    }

    /// Returns both forks to the waiter, who lets waiting neighbours try again.
    public func putDown(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        waiter.withMonitor(file: file, line: line) { scope in
            if !scope.state.eating[seat] {
                reportTableMisuse("seat \(seat) put down forks it does not hold", file: file, line: line)
            }
            probe?(.thinking(seat))
            scope.state.eating[seat] = false
            scope.broadcast(forksFreed, file: file, line: line)
        }
    }
}
