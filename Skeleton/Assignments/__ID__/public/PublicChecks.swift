import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The checks, written the XCTest way: a fresh instance per execution, `setUp` then the check
/// method under the engine, `tearDown` on the end state. Students run the public ones with
/// `turnstile test`; the hidden ones subclass this in `grading/__ID__/checks/`.
class CounterChecks: CheckCase {
    var counter: (any CounterUnderTest)!
    var expected = 0

    override func setUp() { counter = Submission.makeCounter() }

    /// `threads` threads each increment `rounds` times.
    func increment(threads: Int, rounds: Int) {
        expected = threads * rounds
        let handles = (0..<threads).map { t in
            Runtime.spawn(name: "t\(t)") { for _ in 0..<rounds { self.counter.increment() } }
        }
        for handle in handles { handle.join() }
    }

    override func tearDown() {
        CheckAssertEqual(counter.value, expected, "every finished increment must be counted")
    }

    func twoThreads() { increment(threads: 2, rounds: 3) }

    override class var checks: [CheckDefinition] {
        [
            check(
                "two-threads", "two threads, three increments each, over 500 schedules",
                explanation: "an increment is a read and a write; another thread must not run between them.",
                points: 40, property: .mutualExclusion, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 500)),
                CounterChecks.twoThreads),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { CounterChecks.checks }
}
