import CheckKit
import Foundation
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// Every corpus bug is found, deterministically, and every correct twin survives a large budget.
@Suite(.serialized)
struct BugCorpusTests {
    static let longMode = ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] == "1"

    @Test(arguments: BugCorpus.all.map(\.id))
    func buggyProgramIsFoundWithinOneThousandSchedules(_ id: String) throws {
        let corpusCase = try #require(BugCorpus.all.first { $0.id == id })
        var plan = corpusCase.plan
        plan.schedules = 1_000
        let result = Explorer.exploreScenarios(plan, makeScenario: corpusCase.buggy)
        let found = try #require(result.failure, "\(id): not found in \(result.schedules) schedules")
        #expect(corpusCase.accepts(found.failure.kind), "\(id): \(found.failure)")
        #expect(!found.report.trace.isEmpty)
    }

    @Test(arguments: BugCorpus.all.map(\.id))
    func sameSeedGivesTheSameTraceTwice(_ id: String) throws {
        let corpusCase = try #require(BugCorpus.all.first { $0.id == id })
        let first = Explorer.exploreScenarios(corpusCase.plan, makeScenario: corpusCase.buggy)
        let second = Explorer.exploreScenarios(corpusCase.plan, makeScenario: corpusCase.buggy)
        let a = try #require(first.failure)
        let b = try #require(second.failure)
        #expect(a.executionSeed == b.executionSeed)
        #expect(a.report.trace == b.report.trace)
        #expect(a.failure == b.failure)
        // Replaying the execution seed alone reproduces the same trace.
        let replayed = Explorer.replayScenario(corpusCase.plan, executionSeed: a.executionSeed, makeScenario: corpusCase.buggy)
        #expect(replayed.trace == a.report.trace)
        #expect(replayed.failure == a.failure)
    }

    @Test(arguments: BugCorpus.all.map(\.id))
    func correctTwinPassesALargeBudget(_ id: String) throws {
        let corpusCase = try #require(BugCorpus.all.first { $0.id == id })
        var plan = corpusCase.plan
        plan.schedules = Self.longMode ? 10_000 : 1_500
        let result = Explorer.exploreScenarios(plan, makeScenario: corpusCase.correct)
        #expect(result.failure == nil, "\(id): \(result.failure.map { "\($0.failure)\n\($0.report.renderTrace())" } ?? "")")
        #expect(result.schedules == plan.schedules)
    }
}
