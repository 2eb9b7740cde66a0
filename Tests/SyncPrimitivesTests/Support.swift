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

/// Counts threads inside a critical section; each entry touches shared data so that another
/// thread can be scheduled while one is inside. Controlled engine only (one thread at a time).
final class Occupancy: @unchecked Sendable {
    // Safety: used only under the controlled engine, where one logical thread runs at a time.
    private(set) var inside = 0
    private(set) var entries = 0
    var limit = 1
    private let data = Shared(0, name: "critical data")

    init(limit: Int = 1) { self.limit = limit }

    func criticalSection(_ who: String) {
        inside += 1
        entries += 1
        require(inside <= limit, "\(inside) threads inside a section that admits \(limit) (\(who) entered)")
        data.store(data.load() + 1)
        require(inside <= limit, "\(inside) threads inside a section that admits \(limit) (while \(who) was inside)")
        inside -= 1
    }
}

/// Counts first-come-first-served violations: an entry by a thread whose doorway started
/// after some waiting thread had finished its own doorway. Controlled engine only.
final class OvertakeCounter: @unchecked Sendable {
    // Safety: used only under the controlled engine, where one logical thread runs at a time.
    private var clock = 0
    private var doorwayStart: [Int: Int] = [:]
    private var doorwayEnd: [Int: Int] = [:]
    /// For each waiting thread, entries by threads that arrived after its doorway.
    private(set) var overtakes: [Int: Int] = [:]
    /// Largest overtake count any waiter suffered.
    private(set) var worst = 0
    /// Threads past their doorway, not yet inside.
    private var waiting: Set<Int> = []

    func started(_ id: Int) {
        clock += 1
        doorwayStart[id] = clock
    }

    func finished(_ id: Int) {
        clock += 1
        doorwayEnd[id] = clock
        waiting.insert(id)
        overtakes[id] = 0
    }

    /// Call right after the thread got in.
    func entered(_ id: Int) {
        waiting.remove(id)
        let myStart = doorwayStart[id] ?? 0
        for other in waiting where doorwayEnd[other, default: .max] < myStart {
            overtakes[other, default: 0] += 1
            worst = max(worst, overtakes[other]!)
        }
    }

    var probe: (started: @Sendable (Int) -> Void, finished: @Sendable (Int) -> Void) {
        ({ [self] in started($0) }, { [self] in finished($0) })
    }
}

/// Records an issue with the failing trace if the exploration found a failure.
func expectPasses(_ result: ExplorationResult, _ what: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if result.failure != nil {
        Issue.record("\(what) \(describe(result))", sourceLocation: sourceLocation)
    }
}
