// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks; only the template's API is public
// in a submission (the vetting refuses anything else), so nothing else can be picked here.
import AssignmentContract
internal import DiningPhilosophers

/// Exposes the student's `DiningTable` to the checks.
public enum StudentAdapter: AssignmentContract.DiningPhilosophersImplementation {
    public static func makeTable(seats: Swift.Int) -> any AssignmentContract.TableUnderTest {
        AdaptedTable(DiningPhilosophers.DiningTable(seats: seats))
    }
}

final class AdaptedTable: AssignmentContract.TableUnderTest, @unchecked Sendable {
    let base: DiningPhilosophers.DiningTable
    init(_ base: DiningPhilosophers.DiningTable) { self.base = base }
    func pickUp(_ seat: Swift.Int) { base.pickUp(seat) }
    func putDown(_ seat: Swift.Int) { base.putDown(seat) }
}
