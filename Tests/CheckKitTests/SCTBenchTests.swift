import CheckKit
import Foundation
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// SCTBench's concurrency bugs (ported in `TurnstileBugCorpus`) are found by the default
/// portfolio within 10,000 schedules, each with the failure the program shows. The benchmark
/// (`turnstile-bench sctbench`) reports every strategy; this test stops at the first finder.
@Suite struct SCTBenchTests {
    /// Settings found only late in the budget, by one strategy: each costs minutes under a debug
    /// build, so it runs in the long mode (`TURNSTILE_LONG_TESTS=1`) and in the benchmark.
    static let knownMisses: Set<String> = ["twostage_100"]

    /// `twostage_100` (a reader spawned after 99 writers must run between one writer's two
    /// critical sections, before any writer's second): only PCT without a fixed `k` finds it
    /// (with seed 1 at schedule 9,720), because an execution that draws a small `k` puts its
    /// priority changes early, where this bug needs them; PCT with `k` = the execution's length
    /// (834), random and the systematic searches do not within 10,000.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] == "1"))
    func twostage100IsFoundByPCTWithoutALength() throws {
        let program = try #require(SCTBench.all.first { $0.id == "twostage_100" })
        #expect(program.portfolio().contains(.pctAnyLength(depth: 3)))
        var plan = program.plan(.pctAnyLength(depth: 3), seed: 1, schedules: 10_000)
        plan.options.recordTrace = false
        let found = try #require(Explorer.exploreScenarios(plan, makeScenario: program.make).failure)
        #expect(found.report.failure?.kind == .assertion)
        #expect(found.executionIndex + 1 == 9_720)
    }

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
