import CheckKit
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// Iterative preemption and delay bounding run each schedule once, level by level: the
/// schedules of levels up to `b` are exactly those a depth-first search bounded by `b` runs.
@Suite struct IterativeBoundingTests {
    /// Every execution of a search: its trace and the level it ran at.
    static func executions(
        _ strategy: IterativeBoundingStrategy, limit: Int = 100_000, _ program: @escaping () -> () -> String
    ) -> [(trace: String, level: Int)] {
        let scheduler = ControlledScheduler(strategy: strategy)
        var runs: [(String, Int)] = []
        while !strategy.isExhausted, runs.count < limit {
            let level = strategy.level
            let report = scheduler.execute { _ = program() }
            runs.append((report.renderTrace(), level))
            strategy.endExecution()
        }
        return runs
    }

    /// The traces of a depth-first search with at most `bound` preemptions, sorted. (A trace
    /// does not show every decision — two schedules can print alike — so searches are compared
    /// as sorted lists: the same schedules, each as often.)
    static func boundedTraces(_ bound: Int, _ program: @escaping () -> () -> String) -> [String] {
        let strategy = ExhaustiveStrategy(preemptionBound: bound)
        let scheduler = ControlledScheduler(strategy: strategy)
        var traces: [String] = []
        while !strategy.isExhausted {
            traces.append(scheduler.execute { _ = program() }.renderTrace())
            strategy.endExecution()
        }
        return traces.sorted()
    }

    static func program(_ name: String) -> () -> () -> String {
        switch name {
        case "store-buffering": PartialOrderReductionTests.storeBuffering
        case "lost-updates": PartialOrderReductionTests.lostUpdates
        default: PartialOrderReductionTests.handOff
        }
    }

    @Test(arguments: ["store-buffering", "lost-updates", "hand-off"])
    func preemptionLevelsAreTheBoundedSearchesOneByOne(_ name: String) {
        let program = Self.program(name)
        let runs = Self.executions(IterativeBoundingStrategy(measure: .preemptions, maximumBound: 2), program)
        #expect(runs.map(\.level) == runs.map(\.level).sorted(), "levels must not go back")
        for bound in 0...2 {
            let upTo = runs.filter { $0.level <= bound }.map(\.trace).sorted()
            let reference = Self.boundedTraces(bound, program)
            #expect(upTo == reference, "\(name), bound \(bound): \(upTo.count) schedules vs \(reference.count) of the bounded search")
        }
    }

    @Test(arguments: ["store-buffering"])
    func delayLevelsReachEveryScheduleOnce(_ name: String) {
        let program = Self.program(name)
        let runs = Self.executions(IterativeBoundingStrategy(measure: .delays, maximumBound: 60), program)
        #expect(runs.map(\.level) == runs.map(\.level).sorted())
        // Level 0 is the deterministic round-robin schedule and its free choices only.
        #expect(runs.filter { $0.level == 0 }.count < runs.count / 4)
        let all = Self.boundedTraces(60, program)
        #expect(runs.map(\.trace).sorted() == all, "\(name): \(runs.count) schedules vs every one of \(all.count), each once")
    }

    @Test func theSearchSaysWhatItCompleted() {
        var plan = ExplorationPlan(strategy: .iterativeBounding(measure: .preemptions, maximum: 2), seed: 1, schedules: 5)
        let cut = Explorer.explore(plan) { _ = PartialOrderReductionTests.storeBuffering()() }
        #expect(!cut.exhausted && cut.schedules == 5)
        #expect(cut.completedBound == 0, "the non-preemptive schedules, then part of level 1")
        plan.schedules = 100_000
        let whole = Explorer.explore(plan) { _ = PartialOrderReductionTests.storeBuffering()() }
        #expect(whole.exhausted && whole.completedBound == 2)
        #expect(whole.schedules == Self.boundedTraces(2, PartialOrderReductionTests.storeBuffering).count)
        #expect(plan.strategy.description == "iterative preemption bounding(≤ 2)")
    }

    /// SCTBench's `wronglock_3` (four threads, two of them taking the wrong lock): the bounded
    /// depth-first search spends its budget permuting the last steps of the execution; the
    /// iterative searches reach the few-preemption (few-delay) schedules that break it first.
    @Test func findsWhatTheDepthFirstSearchDoesNotReach() throws {
        let program = try #require(SCTBench.all.first { $0.id == "wronglock_3" })
        func firstBug(_ strategy: StrategyKind, within budget: Int) -> Int? {
            var plan = program.plan(strategy, schedules: budget)
            plan.options.recordTrace = false
            let result = Explorer.exploreScenarios(plan, makeScenario: program.make)
            #expect(result.failure == nil || result.failure?.report.failure?.kind == .assertion)
            return result.failure.map { $0.executionIndex + 1 }
        }
        let delays = try #require(firstBug(.iterativeBounding(measure: .delays, maximum: 3), within: 2_000))
        let preemptions = try #require(firstBug(.iterativeBounding(measure: .preemptions, maximum: 3), within: 2_000))
        #expect(firstBug(.exhaustive(preemptions: 2), within: 2_000) == nil)
        // Delay bounding before preemption bounding, as SCTBench found (systematic: exact counts).
        #expect(delays < preemptions, "delays \(delays), preemptions \(preemptions)")
    }
}

