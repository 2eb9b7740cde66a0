// The grader's adapter: the one place that names the student's types (imported `internal`).
import AssignmentContract
internal import __MODULE__

/// Exposes the student's `Counter` to the checks.
public enum StudentAdapter: AssignmentContract.CounterImplementation {
    public static func makeCounter() -> any AssignmentContract.CounterUnderTest {
        AdaptedCounter(__MODULE__.Counter())
    }
}

final class AdaptedCounter: AssignmentContract.CounterUnderTest, @unchecked Sendable {
    let base: __MODULE__.Counter
    init(_ base: __MODULE__.Counter) { self.base = base }
    func increment() { base.increment() }
    var value: Swift.Int { base.value }
}
