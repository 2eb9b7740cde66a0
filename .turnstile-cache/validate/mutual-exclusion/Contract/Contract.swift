/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// Peterson's lock for threads 0 and 1, as the checks use it.
public protocol TwoThreadLockUnderTest: AnyObject, Sendable {
    /// Enters as thread `me`.
    func lock(_ me: Swift.Int)
    /// Leaves as thread `me`.
    func unlock(_ me: Swift.Int)
}

/// A lock for any number of threads, as the checks use it.
public protocol LockUnderTest: AnyObject, Sendable {
    /// Enters the critical section.
    func lock()
    /// Leaves the critical section.
    func unlock()
}

/// How the adapter builds the student's types.
public protocol MutualExclusionImplementation {
    /// A new, unlocked Peterson lock of the student's.
    static func makePetersonLock() -> any TwoThreadLockUnderTest
    /// A new, unlocked ticket lock of the student's.
    static func makeTicketLock() -> any LockUnderTest
}

/// The implementation under test, set once by the checks executable's entry point before any
/// check runs.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any MutualExclusionImplementation.Type)!

    /// A new Peterson lock of the student's.
    public static func makePetersonLock() -> any TwoThreadLockUnderTest { implementation.makePetersonLock() }
    /// A new ticket lock of the student's.
    public static func makeTicketLock() -> any LockUnderTest { implementation.makeTicketLock() }
}
