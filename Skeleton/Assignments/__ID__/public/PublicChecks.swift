import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The checks students run with `turnstile test`. The grader runs them too, with the hidden ones.
enum PublicChecks {
    static var all: [CheckDefinition] { [twoThreads] }

    /// `threads` threads each increment `rounds` times; then every increment must be counted.
    static func increments(threads: Int, rounds: Int) -> Scenario {
        Scenario(run: {
            let counter = Submission.makeCounter()
            let handles = (0..<threads).map { t in
                Runtime.spawn(name: "t\(t)") { for _ in 0..<rounds { counter.increment() } }
            }
            for handle in handles { handle.join() }
            require(counter.value == threads * rounds, "lost increments: \(counter.value) of \(threads * rounds)")
        })
    }

    static let twoThreads = CheckDefinition(
        id: "two-threads",
        title: "two threads, three increments each, over 500 schedules",
        explanation: "an increment is a read and a write; another thread must not run between them.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 500)),
        makeScenario: { increments(threads: 2, rounds: 3) })
}
