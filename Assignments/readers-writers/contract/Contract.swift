/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// The three policies, as the checks name them.
public enum PolicyUnderTest: Swift.String, Swift.Sendable, Swift.CaseIterable {
    case readerPreference = "reader preference"
    case writerPreference = "writer preference"
    case fair = "fair"
}

/// A readers-writers lock, as the checks use it.
public protocol ReadersWritersLockUnderTest: AnyObject, Sendable {
    func lockRead()
    func unlockRead()
    func lockWrite()
    func unlockWrite()
}

/// How the adapter builds the student's types.
public protocol ReadersWritersImplementation {
    /// A new, unlocked lock with `policy`.
    static func makeLock(policy: PolicyUnderTest) -> any ReadersWritersLockUnderTest
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any ReadersWritersImplementation.Type)!

    /// A new lock of the student's type.
    public static func makeLock(policy: PolicyUnderTest) -> any ReadersWritersLockUnderTest {
        implementation.makeLock(policy: policy)
    }
}
