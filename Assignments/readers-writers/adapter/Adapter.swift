// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks.
import AssignmentContract
internal import ReadersWriters

/// Exposes the student's `ReadersWritersLock` to the checks.
public enum StudentAdapter: AssignmentContract.ReadersWritersImplementation {
    public static func makeLock(policy: AssignmentContract.PolicyUnderTest) -> any AssignmentContract.ReadersWritersLockUnderTest {
        let studentPolicy: ReadersWriters.Policy =
            switch policy {
            case .readerPreference: .readerPreference
            case .writerPreference: .writerPreference
            case .fair: .fair
            }
        return AdaptedLock(ReadersWriters.ReadersWritersLock(policy: studentPolicy))
    }
}

final class AdaptedLock: AssignmentContract.ReadersWritersLockUnderTest, @unchecked Sendable {
    let base: ReadersWriters.ReadersWritersLock
    init(_ base: ReadersWriters.ReadersWritersLock) { self.base = base }
    func lockRead() { base.lockRead() }
    func unlockRead() { base.unlockRead() }
    func lockWrite() { base.lockWrite() }
    func unlockWrite() { base.unlockWrite() }
}
