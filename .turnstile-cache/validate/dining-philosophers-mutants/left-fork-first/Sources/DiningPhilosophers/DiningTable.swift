import TurnstileRuntime

/// The dining philosophers' table: `seats` philosophers around a round table, one fork between
/// each pair of neighbours; a philosopher needs both neighbouring forks to eat (course text 4.2).
///
/// Each fork is a runtime `Lock`. Deadlock needs a circular wait, and the **resource hierarchy**
/// breaks it: forks are numbered, and every philosopher picks up the lower-numbered of their two
/// forks first. Philosopher `seat` uses forks `seat` (left) and `(seat + 1) % seats` (right), so
/// the last philosopher takes the right fork (fork 0) first.
///
/// - Guarantees: neighbours never eat at the same time; no deadlock. No fairness beyond the
///   locks' (a philosopher may go hungry while neighbours keep eating).
/// - Blocking: `pickUp` blocks while a needed fork is in use.
public final class DiningTable: @unchecked Sendable {
    // Safety: the forks are runtime locks.
    /// Number of philosophers (and forks).
    public let seats: Int
    private let forks: [Lock]

    /// Creates a table for `seats` philosophers (at least 2).
    public init(seats: Int) {
        precondition(seats >= 2, "a table needs at least two philosophers")
        self.seats = seats
        forks = (0..<seats).map { Lock(name: "fork\($0)") }
    }

    /// Picks up both forks of philosopher `seat`, lower-numbered first, waiting as needed.
    public func pickUp(_ seat: Int) {
        let (first, second) = order(seat)
        forks[first].lock()
        forks[second].lock()
    }

    /// Puts down both forks of philosopher `seat`.
    public func putDown(_ seat: Int) {
        let (first, second) = order(seat)
        forks[second].unlock()
        forks[first].unlock()
    }

    private func order(_ seat: Int) -> (Int, Int) {
        let left = seat
        let right = (seat + 1) % seats
        // MUTANT: left fork first for everyone: all can hold one fork and wait for the next.
        return (left, right)
    }
}
