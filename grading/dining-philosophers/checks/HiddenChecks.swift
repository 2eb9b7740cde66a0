import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks of the dining-philosophers assignment, the XCTest way. Controlled checks use
/// fixed seeds, so a regrade gives the same result.
final class HiddenDiningChecks: DiningChecks {
    func fiveTwoMeals() { dinner(seats: 5, meals: 2) }
    func fiveOneMeal() { dinner(seats: 5, meals: 1) }
    func twoOneMeal() { dinner(seats: 2, meals: 1) }
    func threeOneMeal() { dinner(seats: 3, meals: 1) }

    /// Real threads: atomics instead of boxes (boxes are for the controlled engine only).
    func nativeDinner() {
        let table = Submission.makeTable(seats: 5)
        let eating = (0..<5).map { _ in AtomicBool(false) }
        let meals = AtomicInt(0)
        let handles = (0..<5).map { seat in
            Runtime.spawn {
                for _ in 0..<2_000 {
                    table.pickUp(seat)
                    CheckAssert(!eating[(seat + 4) % 5].load() && !eating[(seat + 1) % 5].load(),
                                "philosopher-\(seat) eats while a neighbour is eating")
                    eating[seat].store(true)
                    meals.fetchAdd(1, ordering: .relaxed)
                    eating[seat].store(false)
                    table.putDown(seat)
                }
            }
        }
        for handle in handles { handle.join() }
        CheckAssertEqual(meals.load(), 10_000, "meals eaten")
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "five-philosophers", "five philosophers, two meals each, over 1,000 schedules",
                explanation: "neighbours share a fork and must never eat together; the table must never deadlock.",
                points: 25, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 301, schedules: 1_000)),
                HiddenDiningChecks.fiveTwoMeals),
            check(
                "five-philosophers-pct", "five philosophers under priority-based (PCT) scheduling",
                explanation: "PCT makes everyone take a first fork before anyone takes a second far more often than random scheduling does.",
                points: 15, property: .noDeadlock, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 150), seed: 302, schedules: 1_000)),
                HiddenDiningChecks.fiveOneMeal),
            check(
                "two-philosophers-every-schedule", "two philosophers: every schedule",
                explanation: "with two seats both forks are shared by both philosophers; the fork order still matters. The search is complete: every order of the operations that matter.",
                points: 10, property: .noDeadlock, .hidden, .controlled(ExplorationPlan(strategy: .dpor, seed: 303, schedules: 20_000)),
                HiddenDiningChecks.twoOneMeal),
            check(
                "three-philosophers-every-schedule", "three philosophers: every schedule",
                explanation: "a complete search with partial-order reduction: every order of the operations that matter (with up to one spurious wakeup per schedule), so any reachable deadlock or shared fork is found.",
                points: 30, property: .noDeadlock, .hidden,
                .controlled(ExplorationPlan(strategy: .dpor, seed: 304, schedules: 60_000, options: ExecutionOptions(spuriousWakeups: 1))),
                HiddenDiningChecks.threeOneMeal),
            check(
                "native-dinner", "five philosophers on real threads, 2,000 meals each",
                explanation: "under real parallelism nobody may share a fork and the dinner must finish (a deadlock shows as a timeout).",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenDiningChecks.nativeDinner),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenDiningChecks.checks }
}
