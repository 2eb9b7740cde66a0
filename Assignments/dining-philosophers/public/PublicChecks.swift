import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The checks, written the XCTest way: a fresh instance per execution, the check method under
/// the engine, end-state assertions in `atEnd`. Students run the public ones with
/// `turnstile test`; the hidden ones subclass this.
class DiningChecks: CheckCase {
    /// `seats` philosophers each eat `meals` times; neighbours must never eat together, and the
    /// engine reports any deadlock with its circular wait.
    func dinner(seats: Int, meals: Int) {
        let table = Submission.makeTable(seats: seats)
        // A box per seat: a philosopher's flag and plate are shared only with those who read
        // them, so an exhaustive search orders only the steps that matter.
        let eating = (0..<seats).map { _ in ControlledBox(false) }
        let plates = (0..<seats).map { _ in ControlledBox(0) }
        let handles = (0..<seats).map { seat in
            Runtime.spawn(name: "philosopher-\(seat)") {
                for _ in 0..<meals {
                    table.pickUp(seat)
                    let left = (seat + seats - 1) % seats
                    let right = (seat + 1) % seats
                    CheckAssert(!eating[left].value && !eating[right].value,
                                "philosopher-\(seat) eats while a neighbour is eating: they share a fork")
                    eating[seat].value = true
                    plates[seat].value += 1
                    Runtime.yield()  // others may run while this philosopher eats
                    eating[seat].value = false
                    table.putDown(seat)
                }
            }
        }
        for handle in handles { handle.join() }
        atEnd { _ in CheckAssertEqual(plates.reduce(0) { $0 + $1.value }, seats * meals, "meals eaten") }
    }

    func threePhilosophersTwoMeals() { dinner(seats: 3, meals: 2) }

    override class var checks: [CheckDefinition] {
        [
            check(
                "three-philosophers", "three philosophers, two meals each: no shared fork, no deadlock",
                explanation: "every interleaving is tried; if all pick up one fork and wait for the other, that is a circular wait (deadlock).",
                points: 20, property: .mutualExclusion, .public, .controlled(ExplorationPlan(strategy: .random, seed: 31, schedules: 400)),
                DiningChecks.threePhilosophersTwoMeals),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { DiningChecks.checks }
}
