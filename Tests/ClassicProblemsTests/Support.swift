import CheckKit
import Foundation
import Testing
import TurnstileRuntime

/// Whether the long stress mode is on (`TURNSTILE_LONG_TESTS=1`).
let longMode = ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] == "1"

/// A random-strategy plan with a fixed seed: deterministic, and small enough for a debug build.
func plan(
    _ schedules: Int = 1_000, seed: UInt64 = 42, strategy: StrategyKind = .random,
    memoryModel: ExecutionOptions.MemoryModel = .sequentiallyConsistent, maxDecisions: Int = 20_000
) -> ExplorationPlan {
    ExplorationPlan(
        strategy: strategy, seed: seed, schedules: longMode ? schedules * 10 : schedules,
        options: ExecutionOptions(maxDecisions: maxDecisions, memoryModel: memoryModel), shrinkBudget: 20)
}

/// A readable account of a failure for an expectation message.
func describe(_ result: ExplorationResult) -> String {
    guard let found = result.failure else { return "no failure in \(result.schedules) schedules" }
    return "\(found.failure)\n\(found.report.renderTrace(limit: 60))"
}

/// Records an issue with the failing trace if the exploration found a failure.
func expectPasses(_ result: ExplorationResult, _ what: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if result.failure != nil {
        Issue.record("\(what) \(describe(result))", sourceLocation: sourceLocation)
    }
}
