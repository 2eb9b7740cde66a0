import TurnstileRuntime

// A correct table unlike the reference: a lock-free seat counter admits at most `seats - 1`
// philosophers (compare-exchange, yielding while the table is full), who then take the left
// fork first.
public final class DiningTable: @unchecked Sendable {
    public let seats: Int
    private let forks: [Lock]
    private let seated = AtomicInt(0, name: "seated")

    public init(seats: Int) {
        precondition(seats >= 2, "a table needs at least two philosophers")
        self.seats = seats
        forks = (0..<seats).map { Lock(name: "fork\($0)") }
    }

    public func pickUp(_ seat: Int) {
        while true {
            let now = seated.load()
            if now < seats - 1, seated.compareExchange(expected: now, desired: now + 1).exchanged { break }
            Runtime.yield()
        }
        forks[seat].lock()
        forks[(seat + 1) % seats].lock()
    }

    public func putDown(_ seat: Int) {
        forks[(seat + 1) % seats].unlock()
        forks[seat].unlock()
        seated.fetchAdd(-1)
    }
}
