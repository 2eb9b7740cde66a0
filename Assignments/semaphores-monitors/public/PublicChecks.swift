import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The public checks, the XCTest way: a fresh instance per execution, one method per check.
/// Students run them with `turnstile test`; the hidden checks subclass this.
class SemaphoreChecks: CheckCase {
    /// One thread: permits are counted, and a signal before a wait is kept.
    func sequentialPermits() {
        let semaphore = Submission.makeSemaphore(value: 2)
        semaphore.wait()
        semaphore.wait()
        semaphore.signal()
        semaphore.wait()
        semaphore.signal()
        semaphore.signal()
        semaphore.wait()
        semaphore.wait()
        let empty = Submission.makeSemaphore(value: 0)
        empty.signal()
        empty.wait()
        // Reaching here without blocking is the check; a lost permit blocks main (a deadlock).
    }

    /// Three threads meet once at a barrier.
    func barrierOneRound() {
        let barrier = Submission.makeBarrier(parties: 3)
        let arrived = ControlledBox(0)
        let threads = (0..<3).map { t in
            Runtime.spawn(name: "t\(t)") {
                arrived.value += 1
                barrier.arriveAndWait()
                CheckAssert(arrived.value == 3, "t\(t) left the barrier when only \(arrived.value) of 3 threads had arrived")
            }
        }
        for thread in threads { thread.join() }
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "semaphore-sequential", "one thread: permits are counted and a signal before a wait is kept",
                explanation: "wait() takes a permit if there is one and returns at once; signal() adds one even when nobody waits.",
                points: 10, property: .capacity, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                SemaphoreChecks.sequentialPermits),
            check(
                "barrier-one-round", "three threads, one round: nobody leaves the barrier before all arrived",
                explanation: "the last thread to arrive releases the others; every schedule of the three is tried under the controlled engine.",
                points: 10, property: .rendezvous, .public, .controlled(ExplorationPlan(strategy: .random, seed: 2, schedules: 300)),
                SemaphoreChecks.barrierOneRound),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { SemaphoreChecks.checks }
}
