import CheckKit
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// What a passing check claims is what it did: a complete search says complete, a search cut
/// short by its budget is followed by a seeded PCT sample (so inflating the state space buys no
/// pass), and a PCT run states the probability bound it gives.
@Suite struct CoverageTests {
    static func check(_ id: String, _ plan: ExplorationPlan, buggy: Bool) throws -> CheckDefinition {
        let corpusCase = try #require(BugCorpus.all.first { $0.id == "philosophers-left-first" })
        return CheckDefinition(
            id: id, title: id, explanation: "", mode: .controlled(plan),
            makeScenario: buggy ? corpusCase.buggy : corpusCase.correct)
    }

    @Test func aSearchCutShortIsFollowedByASampleThatStillFindsTheBug() throws {
        // Three executions cannot complete the search, and none of the first three deadlocks.
        let plan = ExplorationPlan(strategy: .dpor, seed: 9, schedules: 3)
        let record = CheckRunner.run(try Self.check("tiny-budget", plan, buggy: true))
        #expect(!record.passed)
        #expect(record.failureKind == "deadlock")
        #expect(record.fallback?.hasPrefix("pct(depth 3") == true, "\(record)")
        #expect(record.strategy.contains("incomplete after 3"))
        #expect(record.replaySeed == nil, "the check's --replay would not use the sample's strategy")
        // Deterministic: the same record again.
        let again = CheckRunner.run(try Self.check("tiny-budget", plan, buggy: true))
        #expect(again.message == record.message && again.trace == record.trace)
    }

    @Test func anIterativeSearchCutShortSaysWhichBoundItCompleted() throws {
        let plan = ExplorationPlan(strategy: .iterativeBounding(measure: .delays, maximum: 4), seed: 9, schedules: 40)
        let record = CheckRunner.run(try Self.check("iterative", plan, buggy: false))
        #expect(record.passed && record.complete == false)
        let bound = try #require(record.completedBound)
        let coverage = CheckHarness.coverage(record)
        let unit = bound == 1 ? "delay" : "delays"
        #expect(coverage.hasPrefix("incomplete: iterative delay bounding(≤ 4) stopped at its budget before trying every schedule (every schedule with at most \(bound) \(unit) ran)"), "\(coverage)")
        var whole = plan
        whole.schedules = 200_000
        let complete = CheckRunner.run(try Self.check("iterative", whole, buggy: false))
        #expect(complete.complete == true && complete.completedBound == 4)
        #expect(CheckHarness.coverage(complete).hasPrefix("complete: every schedule within the bound"))
    }

    @Test func aCorrectProgramCutShortPassesAndSaysWhatRan() throws {
        let plan = ExplorationPlan(strategy: .dpor, seed: 9, schedules: 3)
        let record = CheckRunner.run(try Self.check("tiny-budget", plan, buggy: false))
        #expect(record.passed && record.complete == false)
        #expect(record.schedules == 3 + CheckRunner.fallbackSchedules)
        let coverage = CheckHarness.coverage(record)
        #expect(coverage.hasPrefix("incomplete: exhaustive(partial-order reduction) stopped at its budget"), "\(coverage)")
        #expect(coverage.contains("then a seeded sample, pct(depth 3"))
    }

    @Test func aCompleteSearchSaysCompleteAndRunsNoSample() throws {
        let plan = ExplorationPlan(strategy: .dpor, seed: 9, schedules: 100_000)
        let record = CheckRunner.run(try Self.check("complete", plan, buggy: false))
        #expect(record.passed && record.complete == true && record.fallback == nil)
        #expect(CheckHarness.coverage(record).hasPrefix("complete: every schedule up to the order of independent steps"))
    }

    @Test func aPassingPCTRunStatesItsProbabilityBound() throws {
        let plan = ExplorationPlan(strategy: .pct(depth: 2, steps: 40), seed: 9, schedules: 500)
        let record = CheckRunner.run(try Self.check("pct", plan, buggy: false))
        #expect(record.passed)
        #expect(record.threads == 4, "main and three philosophers")
        let coverage = CheckHarness.coverage(record)
        // n = 4 threads, k = 40, d = 2: at least 1/160 per schedule; 500 schedules miss with ≤ (1 − 1/160)^500 ≈ 0.0435.
        #expect(coverage.contains("probability ≥ 1/160"), "\(coverage)")
        #expect(coverage.contains("≤ 0.0435"), "\(coverage)")
        // A random run makes no such claim.
        var random = plan
        random.strategy = .random
        #expect(!CheckHarness.coverage(CheckRunner.run(try Self.check("random", random, buggy: false))).contains("guarantee"))
    }

    @Test func pctWithoutALengthStatesTheBoundForTheLongestExecution() throws {
        let plan = ExplorationPlan(strategy: .pctAnyLength(depth: 2), seed: 9, schedules: 500)
        let record = CheckRunner.run(try Self.check("pct-any", plan, buggy: false))
        #expect(record.passed)
        let longest = try #require(record.steps)
        let k = try #require(PCTStrategy.scaleFreeSteps.first { $0 >= longest })
        // d = 2: at least 1/(13 · n · k*) per schedule, k* the smallest drawn k covering the longest execution.
        let coverage = CheckHarness.coverage(record)
        #expect(coverage.contains("probability ≥ 1/\(13 * 4 * k)"), "\(coverage)")
        #expect(coverage.contains("k \(k) drawn for 1 in 13 schedules"), "\(coverage)")
    }

    @Test func pctWithoutALengthFindsAndReplaysByTheSeedAlone() throws {
        let plan = ExplorationPlan(strategy: .pctAnyLength(depth: 3), seed: 9, schedules: 2_000)
        let check = try Self.check("pct-any", plan, buggy: true)
        let record = CheckRunner.run(check)
        #expect(!record.passed && record.failureKind == "deadlock")
        let seed = try #require(record.replaySeed)
        // Each execution's k comes from its own seed, so the seed alone replays it, step for step.
        let replayed = Explorer.replayScenario(plan, executionSeed: seed, makeScenario: check.makeScenario)
        #expect(replayed.failure?.kind == .deadlock)
        #expect(replayed.renderTrace() == record.trace)
        // The seeds spread over every drawn length.
        let lengths = Set((0..<200).map { PCTStrategy.scaleFreeSteps(for: SeededGenerator.executionSeed(base: 9, index: $0)) })
        #expect(lengths == Set(PCTStrategy.scaleFreeSteps))
    }
}
