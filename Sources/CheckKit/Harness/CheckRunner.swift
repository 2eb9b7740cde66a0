#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TurnstileRuntime

/// Runs one ``CheckDefinition`` in this process and produces its ``CheckRunRecord``.
public enum CheckRunner {
    /// Settings a caller may override for one run.
    public struct Overrides: Sendable {
        /// A different exploration seed.
        public var seed: UInt64?
        /// A different schedule budget.
        public var schedules: Int?
        /// Replay exactly this execution seed instead of exploring.
        public var replay: UInt64?
        /// Use the long iteration count for native checks.
        public var long = false
        /// Called after each completed iteration of a native check with the count so far, so a
        /// supervisor that stops a slow run can tell "slow" from "no progress".
        public var progress: (@Sendable (Int) -> Void)?

        /// Creates overrides; nil (or false) keeps the check's own setting.
        /// - Parameters:
        ///   - seed: The exploration seed of a controlled check.
        ///   - schedules: The schedule budget of a controlled check, or the iteration count of a
        ///     native one (taking precedence over `long`).
        ///   - replay: An execution seed to replay instead of exploring (controlled checks only).
        ///   - long: Whether a native check runs its long iteration count.
        public init(seed: UInt64? = nil, schedules: Int? = nil, replay: UInt64? = nil, long: Bool = false) {
            self.seed = seed
            self.schedules = schedules
            self.replay = replay
            self.long = long
        }
    }

    /// Runs `check` and reports the outcome. Blocks until done (a native deadlock blocks
    /// forever: run checks in a process with a timeout).
    public static func run(_ check: CheckDefinition, overrides: Overrides = Overrides()) -> CheckRunRecord {
        let start = monotonicSeconds()
        var record: CheckRunRecord
        switch check.mode {
        case .controlled(var plan):
            if let seed = overrides.seed { plan.seed = seed }
            if let schedules = overrides.schedules { plan.schedules = schedules }
            record = overrides.replay.map { runReplay(check, plan, $0) } ?? runControlled(check, plan)
        case .native(let iterations, let longIterations):
            let count = overrides.schedules ?? (overrides.long ? longIterations : iterations)
            record = runNative(check, iterations: count, progress: overrides.progress)
        case .peer:
            record = runPeer(check)
        }
        record.durationSeconds = monotonicSeconds() - start
        record.title = check.title
        if !record.passed { record.property = check.declaration?.property }
        return record
    }

    /// Schedules of the seeded PCT sample that follows a systematic search that did not
    /// complete within its budget.
    public static let fallbackSchedules = 2_000

    private static func runControlled(_ check: CheckDefinition, _ plan: ExplorationPlan) -> CheckRunRecord {
        let result = Explorer.exploreScenarios(plan, makeScenario: check.makeScenario)
        if let found = result.failure {
            return failureRecord(check, plan, found.report, replaySeed: found.executionSeed, result: result)
        }
        var record = CheckRunRecord(
            check: check.id, passed: true, message: "", seed: plan.seed, strategy: plan.strategy.description,
            schedules: result.schedules, decisions: result.decisions, durationSeconds: 0)
        record.threads = result.largestThreadCount
        record.steps = result.largestDecisionCount
        record.strategyKind = plan.strategy
        guard plan.strategy.isSystematic else { return record }
        record.complete = result.exhausted
        record.completedBound = result.completedBound
        guard !result.exhausted else { return record }
        // The search ran out of budget (code with more interleavings than the check expected, or
        // made so on purpose): a seeded PCT sample, deterministic too, looks for a bug it did
        // not reach, so an inflated state space buys no pass.
        var sample = plan
        let steps = max(50, result.largestDecisionCount)
        sample.strategy = .pct(depth: 3, steps: steps)
        sample.schedules = fallbackSchedules
        sample.options.yieldAwaitsChange = false
        let fallback = Explorer.exploreScenarios(sample, makeScenario: check.makeScenario)
        let description = "\(sample.strategy.description) × \(fallback.schedules)"
        if let found = fallback.failure {
            var failed = failureRecord(check, sample, found.report, replaySeed: found.executionSeed, result: fallback)
            failed.strategy = "\(plan.strategy.description), incomplete after \(result.schedules), then \(sample.strategy.description)"
            // Replaying needs the sample's strategy, which --replay of this check does not use.
            failed.replaySeed = nil
            failed.fallback = description
            return failed
        }
        record.fallback = description
        record.schedules += fallback.schedules
        record.decisions += fallback.decisions
        return record
    }

    private static func runReplay(_ check: CheckDefinition, _ plan: ExplorationPlan, _ seed: UInt64) -> CheckRunRecord {
        let report = Explorer.replayScenario(plan, executionSeed: seed, makeScenario: check.makeScenario)
        if report.failure != nil {
            return failureRecord(check, plan, report, replaySeed: seed, result: nil)
        }
        return CheckRunRecord(
            check: check.id, passed: true, message: "", replaySeed: seed, seed: plan.seed,
            strategy: plan.strategy.description, schedules: 1, decisions: report.decisions,
            trace: report.renderTrace(), durationSeconds: 0)
    }

    private static func failureRecord(
        _ check: CheckDefinition, _ plan: ExplorationPlan, _ report: ExecutionReport, replaySeed: UInt64,
        result: ExplorationResult?
    ) -> CheckRunRecord {
        let failure = report.failure
        let replayable: UInt64? = plan.strategy.isSystematic ? nil : replaySeed
        var message = failure?.description ?? "the end state was wrong"
        // Under the weak memory model, say which loads saw an old value: that is the bug's cause,
        // usually far from the assertion that noticed it.
        if !report.staleReads.isEmpty {
            let shown = report.staleReads.prefix(3).map { "  " + $0 }
            let more = report.staleReads.count > 3 ? ["  … and \(report.staleReads.count - 3) more"] : []
            message += "\nLoads that read an old value (weak memory: a missing acquire/release or sequentially consistent ordering):\n"
                + (shown + more).joined(separator: "\n")
        }
        var record = CheckRunRecord(
            check: check.id, passed: false, message: message,
            failureKind: failure?.kind.rawValue, replaySeed: replayable, seed: plan.seed,
            strategy: plan.strategy.description, schedules: result?.schedules ?? 1,
            decisions: result?.decisions ?? report.decisions, trace: report.renderTrace(), durationSeconds: 0)
        record.threads = report.threadNames.count
        record.steps = report.decisions
        record.strategyKind = plan.strategy
        return record
    }

    private static func runNative(_ check: CheckDefinition, iterations: Int, progress: (@Sendable (Int) -> Void)?) -> CheckRunRecord {
        _ = NativeFailureLog.shared.drain()
        let empty = ExecutionReport(failure: nil, blockedAtEnd: [], trace: [], decisions: 0, threadNames: [])
        for iteration in 0..<iterations {
            let scenario = check.makeScenario()
            scenario.run()
            var failures = NativeFailureLog.shared.drain()
            if let message = scenario.verify(empty) { failures.append(message) }
            progress?(iteration + 1)
            if !failures.isEmpty {
                return CheckRunRecord(
                    check: check.id, passed: false,
                    message: "iteration \(iteration + 1) of \(iterations) on real threads: " + failures.joined(separator: "; "),
                    failureKind: "native", strategy: "native", schedules: iteration + 1, decisions: 0,
                    durationSeconds: 0)
            }
        }
        return CheckRunRecord(
            check: check.id, passed: true, message: "", strategy: "native", schedules: iterations, decisions: 0,
            durationSeconds: 0)
    }

    /// One run of a peer check: its failure is the first assertion or thrown ``CheckFailure``.
    private static func runPeer(_ check: CheckDefinition) -> CheckRunRecord {
        _ = NativeFailureLog.shared.drain()
        let empty = ExecutionReport(failure: nil, blockedAtEnd: [], trace: [], decisions: 0, threadNames: [])
        let scenario = check.makeScenario()
        scenario.run()
        var failures = NativeFailureLog.shared.drain()
        if let message = scenario.verify(empty) { failures.insert(message, at: 0) }
        return CheckRunRecord(
            check: check.id, passed: failures.isEmpty, message: failures.first ?? "", failureKind: failures.isEmpty ? nil : "peer",
            strategy: "peer", schedules: 1, decisions: 0, durationSeconds: 0)
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
