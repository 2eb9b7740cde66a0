import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks: the public case's set-up and end-state assertion, other methods and budgets.
/// Controlled checks use fixed seeds, so a regrade gives the same result.
final class HiddenCounterChecks: CounterChecks {
    func fourThreads() { increment(threads: 4, rounds: 2) }

    func fourRealThreads() { increment(threads: 4, rounds: 10_000) }

    override class var checks: [CheckDefinition] {
        [
            check(
                "four-threads-pct", "four threads under priority-based (PCT) scheduling",
                explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
                points: 60, property: .mutualExclusion, .hidden,
                .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 80), seed: 2, schedules: 1_000)),
                HiddenCounterChecks.fourThreads),
            // Real threads: unscored (whether the OS exposes a race varies from run to run).
            check(
                "native-stress", "four real threads, 10,000 increments each",
                explanation: "under real parallelism every increment must count.",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenCounterChecks.fourRealThreads),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenCounterChecks.checks }
}
