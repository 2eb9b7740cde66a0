import CheckKit
import AssignmentContract
import TurnstileRuntime

/// The hidden checks of the dining-philosophers assignment. Controlled checks use fixed seeds, so
/// a regrade gives the same result.
enum HiddenChecks {
    static var all: [CheckDefinition] {
        [fiveRandom, fivePCT, twoExhaustive, threeExhaustive, nativeDinner]
    }

    static let fiveRandom = CheckDefinition(
        id: "five-philosophers",
        title: "five philosophers, two meals each, over 1,000 schedules",
        explanation: "neighbours share a fork and must never eat together; the table must never deadlock.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 301, schedules: 1_000)),
        makeScenario: { PublicChecks.dinner(seats: 5, meals: 2) })

    static let fivePCT = CheckDefinition(
        id: "five-philosophers-pct",
        title: "five philosophers under priority-based (PCT) scheduling",
        explanation: "PCT makes everyone take a first fork before anyone takes a second far more often than random scheduling does.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 150), seed: 302, schedules: 1_000)),
        makeScenario: { PublicChecks.dinner(seats: 5, meals: 1) })

    static let twoExhaustive = CheckDefinition(
        id: "two-philosophers-every-schedule",
        title: "two philosophers: every schedule",
        explanation: "with two seats both forks are shared by both philosophers; the fork order still matters. The search is complete: every order of the operations that matter.",
        mode: .controlled(ExplorationPlan(strategy: .dpor, seed: 303, schedules: 20_000)),
        makeScenario: { PublicChecks.dinner(seats: 2, meals: 1) })

    static let threeExhaustive = CheckDefinition(
        id: "three-philosophers-every-schedule",
        title: "three philosophers: every schedule",
        explanation: "a complete search with partial-order reduction: every order of the operations that matter (with up to one spurious wakeup per schedule), so any reachable deadlock or shared fork is found.",
        mode: .controlled(ExplorationPlan(
            strategy: .dpor, seed: 304, schedules: 60_000, options: ExecutionOptions(spuriousWakeups: 1))),
        makeScenario: { PublicChecks.dinner(seats: 3, meals: 1) })

    static let nativeDinner = CheckDefinition(
        id: "native-dinner",
        title: "five philosophers on real threads, 2,000 meals each",
        explanation: "under real parallelism nobody may share a fork and the dinner must finish (a deadlock shows as a timeout).",
        mode: .native(iterations: 3, longIterations: 30),
        makeScenario: {
            Scenario(run: {
                let table = Submission.makeTable(seats: 5)
                let eating = (0..<5).map { _ in AtomicBool(false) }
                let meals = AtomicInt(0)
                let handles = (0..<5).map { seat in
                    Runtime.spawn {
                        for _ in 0..<2_000 {
                            table.pickUp(seat)
                            require(!eating[(seat + 4) % 5].load() && !eating[(seat + 1) % 5].load(),
                                    "philosopher-\(seat) eats while a neighbour is eating")
                            eating[seat].store(true)
                            meals.fetchAdd(1, ordering: .relaxed)
                            eating[seat].store(false)
                            table.putDown(seat)
                        }
                    }
                }
                for handle in handles { handle.join() }
                require(meals.load() == 10_000, "\(meals.load()) of 10000 meals were eaten")
            })
        })
}
