import TurnstileRuntime

/// The dining philosophers' table: `seats` philosophers around a round table, one fork between
/// each pair of neighbours; a philosopher needs both neighbouring forks to eat.
///
/// Philosopher `seat` uses fork `seat` (on the left) and fork `(seat + 1) % seats` (on the right).
/// Your task: implement `pickUp` and `putDown` so that neighbours never eat together and the
/// table can never deadlock. Read the assignment README first.
public final class DiningTable: @unchecked Sendable {
    /// Number of philosophers (and forks).
    public let seats: Int
    // TODO: the forks (one runtime Lock each is a good start).

    /// Creates a table for `seats` philosophers (at least 2).
    public init(seats: Int) {
        precondition(seats >= 2, "a table needs at least two philosophers")
        self.seats = seats
    }

    /// Picks up both forks of philosopher `seat`, waiting as needed.
    public func pickUp(_ seat: Int) {
        // TODO
        fatalError("TODO: implement DiningTable.pickUp")
    }

    /// Puts down both forks of philosopher `seat`.
    public func putDown(_ seat: Int) {
        // TODO
        fatalError("TODO: implement DiningTable.putDown")
    }
}
