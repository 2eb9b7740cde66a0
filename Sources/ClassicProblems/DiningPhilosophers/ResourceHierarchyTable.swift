import SyncPrimitives
import TurnstileRuntime

/// Dining philosophers by resource hierarchy: forks are numbered, and every philosopher takes
/// the lower-numbered of its two forks first.
///
/// A circular wait needs a cycle of philosophers each holding one fork and waiting for the
/// next; with a global order on forks every wait points to a higher-numbered fork, so no cycle
/// can close. (The last philosopher, whose right fork is fork 0, takes fork 0 first; everyone
/// else takes the left first.)
///
/// - Guarantees: neighbours never eat at once; no deadlock. **No starvation bound**: the
///   forks are ``OwnedMutex``es without fairness, so a philosopher can lose the race for a fork
///   again and again.
/// - Blocking: `pickUp` sleeps on each fork in turn.
public final class ResourceHierarchyTable: DiningTable {
    /// How many philosophers (and forks) the table has, fixed at creation.
    public let seats: Int
    private let forks: [OwnedMutex]

    /// Creates a table for `seats` philosophers (at least 2).
    public init(seats: Int) {
        precondition(seats >= 2, "dining philosophers need at least two seats")
        self.seats = seats
        forks = (0..<seats).map { OwnedMutex(name: "fork\($0)") }
    }

    /// Takes the lower-numbered fork, then the higher.
    public func pickUp(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        let (first, second) = order(seat)
        // Cannot throw: a philosopher never holds its forks when it picks them up.
        try! forks[first].lock(file: file, line: line)
        try! forks[second].lock(file: file, line: line)
    }

    /// Puts both forks down (higher first).
    public func putDown(_ seat: Int, file: StaticString = #fileID, line: UInt = #line) {
        let (first, second) = order(seat)
        do {
            try forks[second].unlock(file: file, line: line)
            try forks[first].unlock(file: file, line: line)
        } catch {
            reportTableMisuse("seat \(seat) put down forks it does not hold: \(error)", file: file, line: line)
        }
    }

    private func order(_ seat: Int) -> (Int, Int) {
        let left = leftFork(of: seat)
        let right = rightFork(of: seat)
        return (min(left, right), max(left, right))
    }
}

/// Reports a misuse of a table (a seat putting down forks it does not hold).
func reportTableMisuse(_ message: String, file: StaticString, line: UInt) -> Never {
    if Runtime.isControlled {
        ControlledScheduler.reportViolation(message, location: SourceLocation(file: file, line: line))
    }
    preconditionFailure(message, file: file, line: line)
}
