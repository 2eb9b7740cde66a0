import CheckKit
import Testing
import TurnstileRuntime

@testable import ClassicProblems

/// Watches who eats (controlled engine only): neighbours never together, and how many times
/// each neighbour eats while a philosopher waits.
final class DiningWatch: @unchecked Sendable {
    // Safety: used only under the controlled engine, where one logical thread runs at a time.
    let seats: Int
    var eating: [Bool]
    /// For a waiting seat, meals per neighbour since it started waiting.
    var neighbourMeals: [Int: [Int: Int]] = [:]
    var worst = 0

    init(seats: Int) {
        self.seats = seats
        eating = Array(repeating: false, count: seats)
    }

    func observe(_ event: DiningEvent) {
        switch event {
        case .waiting(let seat):
            neighbourMeals[seat] = [:]
        case .eating(let seat):
            neighbourMeals[seat] = nil
            for (waiter, _) in neighbourMeals where isNeighbour(waiter, seat) {
                neighbourMeals[waiter]![seat, default: 0] += 1
                worst = max(worst, neighbourMeals[waiter]![seat]!)
            }
            eat(seat)
        case .thinking(let seat):
            eating[seat] = false
        }
    }

    func eat(_ seat: Int) {
        let left = (seat + seats - 1) % seats
        let right = (seat + 1) % seats
        require(!eating[left] && !eating[right], "seat \(seat) eats next to an eating neighbour")
        eating[seat] = true
    }

    private func isNeighbour(_ a: Int, _ b: Int) -> Bool { a != b && ((a + 1) % seats == b || (b + 1) % seats == a) }
}

@Suite(.serialized)
struct DiningPhilosophersTests {
    static func scenario(
        _ solution: DiningSolution, seats: Int = 3, meals: Int = 2, bound: Int? = nil, leaveEarly: Int? = nil
    ) -> () -> Void {
        {
            let watch = DiningWatch(seats: seats)
            let probe: @Sendable (DiningEvent) -> Void = { watch.observe($0) }
            let table: any DiningTable =
                switch solution {
                case .resourceHierarchy: ResourceHierarchyTable(seats: seats)
                case .arbitrator: ArbitratorTable(seats: seats, probe: probe)
                case .chandyMisra: ChandyMisraTable(seats: seats, probe: probe)
                }
            let handles = (0..<seats).map { seat in
                Runtime.spawn(name: "philosopher-\(seat)") {
                    for _ in 0..<meals {
                        table.serviceWhileThinking(seat, file: #fileID, line: #line)
                        table.pickUp(seat, file: #fileID, line: #line)
                        if solution == .resourceHierarchy { watch.eat(seat) }
                        if let bound {
                            require(watch.worst <= bound, "a waiting philosopher saw a neighbour eat \(watch.worst) times (bound \(bound))")
                        }
                        Runtime.yield()
                        if solution == .resourceHierarchy { watch.eating[seat] = false }
                        table.putDown(seat, file: #fileID, line: #line)
                        // A broken use: this philosopher walks away without leaving the table.
                        if leaveEarly == seat { return }
                    }
                    table.leave(seat, file: #fileID, line: #line)
                }
            }
            handles.forEach { $0.join() }
        }
    }

    @Test(arguments: DiningSolution.allCases)
    func neighboursNeverEatTogetherAndNobodyDeadlocks(_ solution: DiningSolution) {
        for seats in [2, 3, 4] {
            expectPasses(Explorer.explore(plan(seats == 4 ? 300 : 600)) { Self.scenario(solution, seats: seats)() }, "\(solution) \(seats) seats")
        }
        expectPasses(Explorer.explore(plan(300, strategy: .pct(depth: 3, steps: 400))) { Self.scenario(solution)() }, "\(solution) pct")
    }

    @Test(arguments: [DiningSolution.arbitrator, .chandyMisra])
    func aWaitingPhilosopherSeesEachNeighbourEatAtMostOnce(_ solution: DiningSolution) {
        let result = Explorer.explore(plan()) { Self.scenario(solution, seats: 3, meals: 3, bound: 1)() }
        expectPasses(result, "\(solution)")
        let four = Explorer.explore(plan(300)) { Self.scenario(solution, seats: 4, meals: 2, bound: 1)() }
        expectPasses(four, "\(solution) 4 seats")
    }

    @Test func chandyMisraPhilosopherWhoVanishesWithItsForksIsReportedAsDeadlock() throws {
        let result = Explorer.explore(plan(300)) { Self.scenario(.chandyMisra, seats: 3, meals: 2, leaveEarly: 0)() }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock, "\(failure)")
    }

    @Test(arguments: DiningSolution.allCases)
    func puttingDownForksNotHeldIsReported(_ solution: DiningSolution) throws {
        let result = Explorer.explore(plan(10)) {
            solution.makeTable(seats: 3).putDown(1, file: #fileID, line: #line)
        }
        let failure = try #require(result.failure, "\(solution)").failure
        #expect(failure.message.contains("seat 1"), "\(failure)")
    }

    @Test(arguments: DiningSolution.allCases)
    func simulationCountsEveryMealUnderTheControlledEngine(_ solution: DiningSolution) {
        let reports = ControlledBox<[DiningReport]>([])
        let result = Explorer.explore(plan(100)) {
            reports.value.append(DiningSimulation.run(solution.makeTable(seats: 3), until: .afterMeals(2), thinkWork: 0, eatWork: 0))
        }
        expectPasses(result, "\(solution)")
        #expect(reports.value.count == 100 || longMode)
        #expect(reports.value.allSatisfy { $0.meals == [2, 2, 2] })
    }
}
