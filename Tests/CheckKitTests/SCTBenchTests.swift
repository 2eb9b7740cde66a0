import CheckKit
import Foundation
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// SCTBench's concurrency bugs (ported in `TurnstileBugCorpus`) are found by the default
/// portfolio within 10,000 schedules, each with the failure the program shows. The benchmark
/// (`turnstile-bench sctbench`) reports every strategy; this test stops at the first finder.
@Suite struct SCTBenchTests {
    /// Settings no strategy finds within the budget yet (see the benchmark's `sctbench.*` lines).
    static let knownMisses: Set<String> = ["twostage_100"]

    @Test(arguments: SCTBench.all.map(\.id).filter { !knownMisses.contains($0) })
    func foundByThePortfolio(_ id: String) throws {
        let program = try #require(SCTBench.all.first { $0.id == id })
        var tried: [String] = []
        for strategy in program.portfolio() {
            var plan = program.plan(strategy, schedules: 10_000)
            plan.options.recordTrace = false
            let result = Explorer.exploreScenarios(plan, makeScenario: program.make)
            if let found = result.failure {
                #expect(found.report.failure?.kind == program.expected, "\(id) under \(strategy): \(found.report.failure?.description ?? "")")
                return
            }
            tried.append("\(strategy): not within \(result.schedules)")
        }
        Issue.record("\(id) was not found by the portfolio: \(tried.joined(separator: "; "))")
    }

    /// The same seed finds the same first failing schedule (the port is deterministic).
    @Test func aFindIsRepeatable() throws {
        let program = try #require(SCTBench.all.first { $0.id == "reorder_5" })
        let plan = program.plan(.pct(depth: 3, steps: 40), schedules: 10_000)
        let first = try #require(Explorer.exploreScenarios(plan, makeScenario: program.make).failure)
        let second = try #require(Explorer.exploreScenarios(plan, makeScenario: program.make).failure)
        #expect(first.executionIndex == second.executionIndex)
        #expect(first.report.renderTrace() == second.report.renderTrace())
    }
}
