/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter.

/// A shared counter, as the checks use it.
public protocol CounterUnderTest: AnyObject, Sendable {
    /// Adds one.
    func increment()
    /// The increments so far.
    var value: Swift.Int { get }
}

/// How the adapter builds the student's types.
public protocol CounterImplementation {
    /// A new counter at zero.
    static func makeCounter() -> any CounterUnderTest
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any CounterImplementation.Type)!

    /// A new counter of the student's type.
    public static func makeCounter() -> any CounterUnderTest { implementation.makeCounter() }
}
