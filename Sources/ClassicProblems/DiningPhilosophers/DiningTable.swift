/// A table of philosophers sharing one fork between each pair of neighbours: the dining
/// philosophers problem of the course text.
///
/// Seat `i` eats with fork `i` (its left) and fork `(i + 1) % seats` (its right). Every
/// solution guarantees that neighbours never eat at once and that the table never deadlocks;
/// they differ in how (ordering, a central arbitrator, or message passing) and in fairness.
public protocol DiningTable: AnyObject, Sendable {
    /// How many philosophers sit at the table.
    var seats: Int { get }
    /// Takes seat `seat`'s two forks, waiting until it may eat.
    func pickUp(_ seat: Int, file: StaticString, line: UInt)
    /// Puts seat `seat`'s forks down after eating.
    func putDown(_ seat: Int, file: StaticString, line: UInt)
    /// Called now and then while `seat` thinks, for solutions that must answer neighbours'
    /// requests (Chandy-Misra); never blocks. Others do nothing.
    func serviceWhileThinking(_ seat: Int, file: StaticString, line: UInt)
    /// `seat` will not eat again; a solution that holds forks for it hands them over.
    func leave(_ seat: Int, file: StaticString, line: UInt)
}

extension DiningTable {
    /// Does nothing: a table whose philosophers need not answer requests.
    public func serviceWhileThinking(_ seat: Int, file: StaticString, line: UInt) {}
    /// Does nothing: a table that holds no forks for a philosopher between meals.
    public func leave(_ seat: Int, file: StaticString, line: UInt) {}

    /// Seat `seat`'s left fork.
    public func leftFork(of seat: Int) -> Int { seat }
    /// Seat `seat`'s right fork.
    public func rightFork(of seat: Int) -> Int { (seat + 1) % seats }
}

/// The three solutions the course text names, by name.
public enum DiningSolution: String, Sendable, CaseIterable {
    /// ``ResourceHierarchyTable``.
    case resourceHierarchy
    /// ``ArbitratorTable``.
    case arbitrator
    /// ``ChandyMisraTable``.
    case chandyMisra

    /// A fresh table of this kind.
    public func makeTable(seats: Int) -> any DiningTable {
        switch self {
        case .resourceHierarchy: ResourceHierarchyTable(seats: seats)
        case .arbitrator: ArbitratorTable(seats: seats)
        case .chandyMisra: ChandyMisraTable(seats: seats)
        }
    }
}

/// What a philosopher does, for checks that count hunger (package use only). Events are
/// emitted where the solution decides them (inside the waiter's monitor, or by the
/// philosopher's own thread in Chandy-Misra).
package enum DiningEvent: Sendable, Equatable {
    /// The philosopher has made its claim (asked the waiter; sent its fork requests) and waits.
    case waiting(Int)
    /// It starts eating.
    case eating(Int)
    /// It has finished eating.
    case thinking(Int)
}
