// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks; only the template's API is public
// in a submission (the vetting refuses anything else), so nothing else can be picked here.
import AssignmentContract
internal import MutualExclusion

/// Exposes the student's `PetersonLock` and `TicketLock` to the checks.
public enum StudentAdapter: AssignmentContract.MutualExclusionImplementation {
    public static func makePetersonLock() -> any AssignmentContract.TwoThreadLockUnderTest {
        AdaptedPeterson(MutualExclusion.PetersonLock())
    }
    public static func makeTicketLock() -> any AssignmentContract.LockUnderTest {
        AdaptedTicket(MutualExclusion.TicketLock())
    }
}

final class AdaptedPeterson: AssignmentContract.TwoThreadLockUnderTest, @unchecked Sendable {
    let base: MutualExclusion.PetersonLock
    init(_ base: MutualExclusion.PetersonLock) { self.base = base }
    func lock(_ me: Swift.Int) { base.lock(me) }
    func unlock(_ me: Swift.Int) { base.unlock(me) }
}

final class AdaptedTicket: AssignmentContract.LockUnderTest, @unchecked Sendable {
    let base: MutualExclusion.TicketLock
    init(_ base: MutualExclusion.TicketLock) { self.base = base }
    func lock() { base.lock() }
    func unlock() { base.unlock() }
}
