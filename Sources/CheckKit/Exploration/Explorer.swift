import TurnstileRuntime

/// How to explore one concurrent scenario under the controlled engine.
public struct ExplorationPlan: Sendable {
    /// The strategy.
    public var strategy: StrategyKind
    /// The exploration's seed; execution `i` uses `SeededGenerator.executionSeed(base:index:)`.
    public var seed: UInt64
    /// How many executions (schedules) at most.
    public var schedules: Int
    /// Engine options for each execution.
    public var options: ExecutionOptions
    /// After a failure, how many more schedules to try in search of a shorter failing trace.
    public var shrinkBudget: Int

    /// Creates a plan.
    /// - Parameters:
    ///   - strategy: The scheduling strategy (default ``StrategyKind/random``).
    ///   - seed: The exploration's seed (default a fixed constant, so runs repeat).
    ///   - schedules: The most executions to run (default 1,000).
    ///   - options: Engine options for each execution (default: ``ExecutionOptions``' defaults).
    ///   - shrinkBudget: Extra schedules tried after the first failure for a shorter trace
    ///     (default 100; an exhaustive search stops at its first failure).
    public init(
        strategy: StrategyKind = .random, seed: UInt64 = 0x7475_726E_7374_696C, schedules: Int = 1_000,
        options: ExecutionOptions = ExecutionOptions(), shrinkBudget: Int = 100
    ) {
        self.strategy = strategy
        self.seed = seed
        self.schedules = schedules
        self.options = options
        self.shrinkBudget = shrinkBudget
    }
}

/// A failing schedule found by an exploration.
public struct FoundFailure: Sendable {
    /// The seed that replays this one execution (`turnstile test --replay SEED`).
    public var executionSeed: UInt64
    /// Which execution of the exploration it was (0-based).
    public var executionIndex: Int
    /// What happened, with the trace.
    public var report: ExecutionReport
    /// Never nil: the failure.
    public var failure: ExecutionFailure { report.failure! }
}

/// What an exploration found.
public struct ExplorationResult: Sendable {
    /// Executions run.
    public var schedules: Int
    /// Scheduling decisions made across all executions.
    public var decisions: Int
    /// The shortest failing execution found, if any.
    public var failure: FoundFailure?
    /// Whether an exhaustive search ran out of schedules (every schedule within the bound ran).
    public var exhausted: Bool
    /// Threads left blocked at the end of the last execution, when the plan allowed it.
    public var lastBlockedAtEnd: [String]
    /// Executions a partial-order reduction ended early as redundant (counted in `schedules`).
    public var abandoned = 0
    /// The most logical threads any execution had (the main thread included).
    public var largestThreadCount = 0
    /// The most scheduling decisions any execution made.
    public var largestDecisionCount = 0
    /// For iterative bounding: the largest bound every one of whose schedules ran.
    public var completedBound: Int?
}

/// Runs a scenario many times under the controlled engine, each time with a different
/// schedule, and reports the first (then the shortest) failing one.
///
/// Deterministic: the same plan and the same scenario give the same result, decision for
/// decision. Blocking: runs on the calling thread until done.
public enum Explorer {
    /// Explores `scenario` under `plan`. The scenario runs as logical thread 0 and must create
    /// everything it uses (a fresh buffer, fresh threads) on every call.
    public static func explore(_ plan: ExplorationPlan, scenario: @escaping () -> Void) -> ExplorationResult {
        exploreScenarios(plan, makeScenario: { Scenario(run: scenario) })
    }

    /// Explores scenarios made fresh for every execution; an execution whose end state the
    /// scenario's `verify` rejects counts as a failing one (kind `assertion`).
    public static func exploreScenarios(_ plan: ExplorationPlan, makeScenario: @escaping () -> Scenario) -> ExplorationResult {
        var plan = plan
        if case .dpor = plan.strategy {
            // A spin iteration that changed nothing waits for a change, so spin loops end.
            plan.options.yieldAwaitsChange = true
            precondition(
                plan.options.memoryModel == .sequentiallyConsistent,
                "partial-order reduction models sequential consistency; under TSO use .exhaustive(preemptions:)")
        }
        let strategy = plan.strategy.makeStrategy(seed: plan.seed)
        let scheduler = ControlledScheduler(strategy: strategy, options: plan.options)
        var decisions = 0
        var found: FoundFailure?
        var schedules = 0
        var stopAt = plan.schedules
        var lastBlocked: [String] = []
        var abandoned = 0
        var largestThreads = 0
        var largestDecisions = 0
        while schedules < stopAt, !strategy.isExhausted {
            let seed = SeededGenerator.executionSeed(base: plan.seed, index: schedules)
            CrashReporter.currentReplaySeed = plan.strategy.isReplayable ? seed : nil
            let report = executeVerified(scheduler, makeScenario)
            schedules += 1
            decisions += report.decisions
            strategy.endExecution()
            largestThreads = max(largestThreads, report.threadNames.count)
            largestDecisions = max(largestDecisions, report.decisions)
            if report.abandoned {
                abandoned += 1
                continue
            }
            lastBlocked = report.blockedAtEnd
            guard report.failure != nil else { continue }
            if found == nil {
                stopAt = min(plan.schedules, schedules + plan.shrinkBudget)
            }
            if found == nil || report.trace.count < found!.report.trace.count {
                found = FoundFailure(executionSeed: seed, executionIndex: schedules - 1, report: report)
            }
            // A systematic search's executions cannot be replayed from a seed, so stop at once.
            if plan.strategy.isSystematic { break }
        }
        // An iterative search that dropped deferred prefixes for memory ends without being complete.
        let bounded = strategy as? IterativeBoundingStrategy
        let complete = strategy.isExhausted && bounded?.isTruncated != true
        var result = ExplorationResult(
            schedules: schedules, decisions: decisions, failure: found, exhausted: complete,
            lastBlockedAtEnd: lastBlocked)
        result.completedBound = bounded?.completedBound
        result.abandoned = abandoned
        result.largestThreadCount = largestThreads
        result.largestDecisionCount = largestDecisions
        return result
    }

    /// Runs the single execution that `executionSeed` names, as found by an exploration with
    /// the same plan (random or PCT), and returns its report.
    public static func replay(
        _ plan: ExplorationPlan, executionSeed: UInt64, scenario: @escaping () -> Void
    ) -> ExecutionReport {
        replayScenario(plan, executionSeed: executionSeed, makeScenario: { Scenario(run: scenario) })
    }

    /// Replays one execution of scenarios made by `makeScenario`, verifying its end state.
    public static func replayScenario(
        _ plan: ExplorationPlan, executionSeed: UInt64, makeScenario: @escaping () -> Scenario
    ) -> ExecutionReport {
        let scheduler = ControlledScheduler(
            strategy: plan.strategy.makeReplay(executionSeed: executionSeed), options: plan.options)
        CrashReporter.currentReplaySeed = executionSeed
        return executeVerified(scheduler, makeScenario)
    }

    private static func executeVerified(
        _ scheduler: ControlledScheduler, _ makeScenario: @escaping () -> Scenario
    ) -> ExecutionReport {
        var scenario: Scenario?
        var report = scheduler.execute {
            let made = makeScenario()
            scenario = made
            made.run()
        }
        if report.failure == nil, !report.abandoned, let message = scenario?.verify(report) {
            report.failure = ExecutionFailure(kind: .assertion, message: message)
        }
        return report
    }
}
