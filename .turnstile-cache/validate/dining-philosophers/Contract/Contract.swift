/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// A dining table, as the checks use it.
public protocol TableUnderTest: AnyObject, Sendable {
    /// Picks up both forks of philosopher `seat`, waiting as needed.
    func pickUp(_ seat: Swift.Int)
    /// Puts down both forks of philosopher `seat`.
    func putDown(_ seat: Swift.Int)
}

/// How the adapter builds the student's types.
public protocol DiningPhilosophersImplementation {
    /// A new table of the student's for `seats` philosophers.
    static func makeTable(seats: Swift.Int) -> any TableUnderTest
}

/// The implementation under test, set once by the checks executable's entry point before any
/// check runs.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any DiningPhilosophersImplementation.Type)!

    /// A new table of the student's.
    public static func makeTable(seats: Swift.Int) -> any TableUnderTest { implementation.makeTable(seats: seats) }
}
