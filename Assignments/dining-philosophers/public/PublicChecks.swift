import CheckKit
import AssignmentContract
import TurnstileRuntime

/// The checks students run with `turnstile test`. The grader runs them too, with the hidden ones.
enum PublicChecks {
    static var all: [CheckDefinition] { [threePhilosophers] }

    /// `seats` philosophers each eat `meals` times; neighbours must never eat together, and the
    /// engine reports any deadlock with its circular wait.
    static func dinner(seats: Int, meals: Int) -> Scenario {
        Scenario(run: {
            let table = Submission.makeTable(seats: seats)
            // A box per seat: a philosopher's flag and plate are shared only with those who
            // read them, so an exhaustive search orders only the steps that matter.
            let eating = (0..<seats).map { _ in ControlledBox(false) }
            let plates = (0..<seats).map { _ in ControlledBox(0) }
            let handles = (0..<seats).map { seat in
                Runtime.spawn(name: "philosopher-\(seat)") {
                    for _ in 0..<meals {
                        table.pickUp(seat)
                        let left = (seat + seats - 1) % seats
                        let right = (seat + 1) % seats
                        require(!eating[left].value && !eating[right].value,
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
            let eaten = plates.reduce(0) { $0 + $1.value }
            require(eaten == seats * meals, "\(eaten) meals were eaten, expected \(seats * meals)")
        })
    }

    static let threePhilosophers = CheckDefinition(
        id: "three-philosophers",
        title: "three philosophers, two meals each: no shared fork, no deadlock",
        explanation: "every interleaving is tried; if all pick up one fork and wait for the other, that is a circular wait (deadlock).",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 31, schedules: 400)),
        makeScenario: { dinner(seats: 3, meals: 2) })
}
