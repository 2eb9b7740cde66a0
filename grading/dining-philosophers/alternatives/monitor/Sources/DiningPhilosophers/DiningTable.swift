import TurnstileRuntime

// A correct table unlike the reference: Tanenbaum's monitor. One lock guards every
// philosopher's state; a hungry philosopher eats only when neither neighbour eats, and waits on
// a condition of their own until a neighbour who puts their forks down lets them eat.
public final class DiningTable: @unchecked Sendable {
    private enum Phase { case thinking, hungry, eating }

    public let seats: Int
    private let monitor: Lock
    private var phases: [Phase]
    private let turns: [Condition]

    public init(seats: Int) {
        precondition(seats >= 2, "a table needs at least two philosophers")
        self.seats = seats
        let lock = Lock(name: "table")
        monitor = lock
        phases = Array(repeating: .thinking, count: seats)
        turns = (0..<seats).map { Condition(lock: lock, name: "turn\($0)") }
    }

    public func pickUp(_ seat: Int) {
        monitor.lock()
        phases[seat] = .hungry
        tryToEat(seat)
        while phases[seat] != .eating { turns[seat].wait() }
        monitor.unlock()
    }

    public func putDown(_ seat: Int) {
        monitor.lock()
        phases[seat] = .thinking
        tryToEat((seat + seats - 1) % seats)
        tryToEat((seat + 1) % seats)
        monitor.unlock()
    }

    private func tryToEat(_ seat: Int) {
        let left = (seat + seats - 1) % seats
        let right = (seat + 1) % seats
        if phases[seat] == .hungry, phases[left] != .eating, phases[right] != .eating {
            phases[seat] = .eating
            turns[seat].signal()
        }
    }
}
