/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// A bounded buffer of `Int`s, as the checks use it.
public protocol BufferUnderTest: AnyObject, Sendable {
    /// Adds `item`, blocking while full.
    func put(_ item: Swift.Int)
    /// Removes the oldest item, blocking while empty.
    func get() -> Swift.Int
}

/// How the adapter builds the student's types.
public protocol ProducerConsumerImplementation {
    /// A new, empty buffer of the student's type with room for `capacity` items.
    static func makeBuffer(capacity: Swift.Int) -> any BufferUnderTest
}

/// The implementation under test, set once by the checks executable's entry point before any
/// check runs.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any ProducerConsumerImplementation.Type)!

    /// A new buffer of the student's type.
    public static func makeBuffer(capacity: Swift.Int) -> any BufferUnderTest {
        implementation.makeBuffer(capacity: capacity)
    }
}
