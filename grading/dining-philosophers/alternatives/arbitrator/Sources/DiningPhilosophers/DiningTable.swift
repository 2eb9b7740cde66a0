import TurnstileRuntime

// A correct table unlike the reference: an arbitrator (the waiter) seats at most `seats - 1`
// philosophers at once, so even with everyone taking the left fork first one seated
// philosopher always gets both forks.
public final class DiningTable: @unchecked Sendable {
    public let seats: Int
    private let forks: [Lock]
    private let waiter = Lock(name: "waiter")
    private let seatFree: Condition
    private var seated = 0

    public init(seats: Int) {
        precondition(seats >= 2, "a table needs at least two philosophers")
        self.seats = seats
        forks = (0..<seats).map { Lock(name: "fork\($0)") }
        seatFree = Condition(lock: waiter, name: "seat free")
    }

    public func pickUp(_ seat: Int) {
        waiter.lock()
        while seated == seats - 1 { seatFree.wait() }
        seated += 1
        waiter.unlock()
        forks[seat].lock()
        forks[(seat + 1) % seats].lock()
    }

    public func putDown(_ seat: Int) {
        forks[(seat + 1) % seats].unlock()
        forks[seat].unlock()
        waiter.lock()
        seated -= 1
        seatFree.signal()
        waiter.unlock()
    }
}
