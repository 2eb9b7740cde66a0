import CheckKit
import TurnstileBugCorpus
import Dispatch
import Foundation
import TurnstileRuntime

/// Suite `explore`: the controlled engine's speed and its bug corpus.
///
/// - `decisions`: scheduling decisions per second of the controlled engine (user-level context
///   switches on one OS thread) against a baton passed between real OS threads by semaphores
///   (one OS thread per logical thread, the design it replaces), same run. Goal ≥ 1,000,000/s.
/// - one line per corpus bug: schedules and seconds to find it with the corpus plan, against
///   plain random scheduling (or PCT where the plan is already random). Goal ≤ 1 s each.
/// - `complete.*`: executions for a systematic search to complete, partial-order reduction
///   (unbounded) against the depth-first search bounded at two preemptions, same run. Goal on the
///   three-seat dining table: at least 10× fewer.
/// - one line per correct twin: 10,000 schedules (1,000 with --quick) must stay clean.
/// - `sctbench.*`: SCTBench's concurrency bugs (Thomson, Donaldson & Betts, PPoPP 2014), ported:
///   schedules to the first bug within 10,000 for each strategy of the default portfolio; the
///   line's value is the portfolio's best, its baseline plain random scheduling. Goal: every
///   setting found by some strategy of the portfolio.
func exploreSuite(_ reporter: Reporter) {
    let quick = reporter.options.quick
    reporter.header("explore", metric: "decisions/s, seconds")
    decisionRate(reporter, quick: quick)
    completion(reporter, schedules: quick ? 20_000 : 200_000)
    for corpusCase in BugCorpus.all {
        findBug(reporter, corpusCase)
    }
    for corpusCase in BugCorpus.all {
        cleanTwin(reporter, corpusCase, schedules: quick ? 1_000 : 10_000)
    }
    for program in SCTBench.all {
        sctbench(reporter, program)
    }
}

/// Suite `sctbench`: only the explore suite's `sctbench.*` lines (they take the longest).
func sctbenchSuite(_ reporter: Reporter) {
    reporter.header("explore", metric: "schedules to the first bug")
    for program in SCTBench.all {
        sctbench(reporter, program)
    }
}

private func sctbench(_ reporter: Reporter, _ program: SCTBench.Program) {
    let budget = 10_000
    let steps = program.steps()
    var extra: [String: Any] = ["budget": budget, "steps_one_execution": steps]
    var best: Int?
    var randomSchedules: Int?
    for strategy in program.portfolio() {
        let start = nowNanoseconds()
        var plan = program.plan(strategy, schedules: budget)
        plan.options.recordTrace = false
        let result = Explorer.exploreScenarios(plan, makeScenario: program.make)
        let found = result.failure.map { $0.executionIndex + 1 }
        let seconds = Double(nowNanoseconds() - start) / 1e9
        extra[strategy.description] = found.map { "\($0) (\(String(format: "%.2f", seconds)) s)" } ?? "not found (\(result.schedules), \(String(format: "%.2f", seconds)) s)"
        if let found { best = min(best ?? found, found) }
        if case .random = strategy { randomSchedules = found }
    }
    extra["found"] = best != nil
    extra["goal_met"] = best != nil
    reporter.report(Measurement(
        suite: "explore", caseName: "sctbench.\(program.id)", metric: "schedules_to_first_bug",
        value: Double(best ?? budget), baseline: "random", baselineValue: Double(randomSchedules ?? budget),
        better: "lower", extra: extra))
}

/// Four logical threads, each doing `operations` atomic increments: every increment is a decision.
private func incrementScenario(operations: Int) -> () -> Void {
    {
        let counter = AtomicInt(0)
        let threads = (0..<4).map { _ in Runtime.spawn { for _ in 0..<operations { counter.fetchAdd(1) } } }
        for thread in threads { thread.join() }
    }
}

private func decisionRate(_ reporter: Reporter, quick: Bool) {
    let schedules = quick ? 20 : 100
    let batonDecisions = quick ? 20_000 : 100_000
    let medians = interleavedMedians(
        repetitions: reporter.options.repetitions,
        ours: {
            var plan = ExplorationPlan(strategy: .random, seed: 9, schedules: schedules)
            plan.options.recordTrace = false
            plan.options.maxDecisions = 1_000_000
            let start = nowNanoseconds()
            let result = Explorer.explore(plan, scenario: incrementScenario(operations: 1_000))
            return Double(result.decisions) / (Double(nowNanoseconds() - start) / 1e9)
        },
        baseline: { batonRate(threads: 4, decisions: batonDecisions) })
    reporter.report(Measurement(
        suite: "explore", caseName: "decisions", metric: "decisions_per_second", value: medians.ours,
        baseline: "OS threads passing a semaphore baton", baselineValue: medians.baseline, better: "higher",
        extra: ["goal_value": 1_000_000, "goal_met": medians.ours >= 1_000_000]))
}

/// One OS thread per logical thread; a decision picks the next thread at random and hands it
/// the baton through its semaphore.
private func batonRate(threads count: Int, decisions: Int) -> Double {
    final class Baton: @unchecked Sendable {
        // Safety: only the thread holding the baton touches `remaining` and `generator`.
        let semaphores: [DispatchSemaphore]
        var remaining: Int
        var generator = SeededGenerator(seed: 5)
        let done = DispatchSemaphore(value: 0)
        init(count: Int, decisions: Int) {
            semaphores = (0..<count).map { _ in DispatchSemaphore(value: 0) }
            remaining = decisions
        }
    }
    let baton = Baton(count: count, decisions: decisions)
    let start = nowNanoseconds()
    for index in 0..<count {
        Thread {
            while true {
                baton.semaphores[index].wait()
                if baton.remaining <= 0 {
                    for semaphore in baton.semaphores { semaphore.signal() }
                    baton.done.signal()
                    return
                }
                baton.remaining -= 1
                baton.semaphores[baton.generator.below(count)].signal()
            }
        }.start()
    }
    baton.semaphores[0].signal()
    for _ in 0..<count { baton.done.wait() }
    return Double(decisions) / (Double(nowNanoseconds() - start) / 1e9)
}

/// Executions to complete each systematic search on the corpus's correct programs.
private func completion(_ reporter: Reporter, schedules: Int) {
    let cases = BugCorpus.all.filter { $0.plan.options.memoryModel == .sequentiallyConsistent }
    for corpusCase in cases {
        func measure(_ strategy: StrategyKind) -> (result: ExplorationResult, seconds: Double) {
            var plan = corpusCase.plan
            plan.strategy = strategy
            plan.schedules = schedules
            plan.options.recordTrace = false
            let start = nowNanoseconds()
            let result = Explorer.exploreScenarios(plan, makeScenario: corpusCase.correct)
            return (result, Double(nowNanoseconds() - start) / 1e9)
        }
        let ours = measure(.dpor)
        let baseline = measure(.exhaustive(preemptions: 2))
        let goal: Double? = corpusCase.id == "philosophers-left-first" ? 0.1 : nil
        var extra: [String: Any] = [
            "complete": ours.result.exhausted, "baseline_complete": baseline.result.exhausted,
            "seconds": ours.seconds, "baseline_seconds": baseline.seconds, "abandoned": ours.result.abandoned,
            "failure": ours.result.failure.map { $0.failure.kind.rawValue } ?? "none",
        ]
        if let goal {
            extra["goal"] = goal
            extra["goal_met"] = ours.result.exhausted && Double(ours.result.schedules) <= goal * Double(baseline.result.schedules)
        }
        reporter.report(Measurement(
            suite: "explore", caseName: "complete.\(corpusCase.id)", metric: "executions_to_complete",
            value: Double(ours.result.schedules), baseline: "exhaustive(preemptions ≤ 2)",
            baselineValue: Double(baseline.result.schedules), better: "lower", extra: extra))
    }
}

private func findBug(_ reporter: Reporter, _ corpusCase: CorpusCase) {
    func measure(_ plan: ExplorationPlan) -> (seconds: Double, result: ExplorationResult) {
        var plan = plan
        plan.schedules = 1_000
        plan.shrinkBudget = 0
        let start = nowNanoseconds()
        let result = Explorer.exploreScenarios(plan, makeScenario: corpusCase.buggy)
        return (Double(nowNanoseconds() - start) / 1e9, result)
    }
    var other = corpusCase.plan
    if case .random = other.strategy { other.strategy = .pct(depth: 3, steps: 200) } else { other.strategy = .random }
    let ours = measure(corpusCase.plan)
    let baseline = measure(other)
    let found = ours.result.failure
    reporter.report(Measurement(
        suite: "explore", caseName: "bug.\(corpusCase.id)", metric: "seconds_to_find", value: ours.seconds,
        baseline: "\(other.strategy)", baselineValue: baseline.seconds, better: "lower",
        extra: [
            "found": found != nil, "schedules": found.map { $0.executionIndex + 1 } ?? ours.result.schedules,
            "seconds": ours.seconds, "strategy": "\(corpusCase.plan.strategy)",
            "kind_ok": found.map { corpusCase.accepts($0.failure.kind) } ?? false,
            "baseline_found": baseline.result.failure != nil,
            "baseline_schedules": baseline.result.failure.map { $0.executionIndex + 1 } ?? baseline.result.schedules,
            "goal_seconds": 1, "goal_met": found != nil && ours.seconds <= 1,
        ]))
}

private func cleanTwin(_ reporter: Reporter, _ corpusCase: CorpusCase, schedules: Int) {
    var plan = corpusCase.plan
    plan.schedules = schedules
    plan.options.recordTrace = false
    let start = nowNanoseconds()
    let result = Explorer.exploreScenarios(plan, makeScenario: corpusCase.correct)
    let seconds = Double(nowNanoseconds() - start) / 1e9
    let perSchedule = seconds / Double(max(1, result.schedules)) * 1e6
    reporter.report(Measurement(
        suite: "explore", caseName: "twin.\(corpusCase.id)", metric: "microseconds_per_schedule", value: perSchedule,
        baseline: "-", baselineValue: perSchedule, better: "lower",
        extra: ["clean": result.failure == nil, "schedules": result.schedules, "seconds": seconds,
                "decisions": result.decisions]))
}
