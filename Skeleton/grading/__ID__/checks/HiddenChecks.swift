import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks. Controlled checks use fixed seeds, so a regrade gives the same result.
enum HiddenChecks {
    static var all: [CheckDefinition] { [fourThreadsPCT, nativeStress] }

    static let fourThreadsPCT = CheckDefinition(
        id: "four-threads-pct",
        title: "four threads under priority-based (PCT) scheduling",
        explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 80), seed: 2, schedules: 1_000)),
        makeScenario: { PublicChecks.increments(threads: 4, rounds: 2) })

    /// Real threads: unscored (whether the OS exposes a race varies from run to run).
    static let nativeStress = CheckDefinition(
        id: "native-stress",
        title: "four real threads, 10,000 increments each",
        explanation: "under real parallelism every increment must count.",
        mode: .native(iterations: 3, longIterations: 30),
        makeScenario: { PublicChecks.increments(threads: 4, rounds: 10_000) })
}
