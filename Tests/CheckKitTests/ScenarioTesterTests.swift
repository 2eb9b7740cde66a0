import CheckKit
import Testing
import TurnstileRuntime

/// Lincheck-style scenarios: a failing scenario is explored, checked for linearizability and
/// shrunk to the smallest one that still fails, the same way every time.
@Suite struct ScenarioTesterTests {
    enum CounterOperation: Hashable, Sendable, CustomStringConvertible {
        case increment, read
        var description: String { self == .increment ? "increment()" : "read()" }
    }

    /// What a counter does alone: an increment returns the new count, a read the count.
    static var counter: SequentialSpecification<Int, CounterOperation, Int> { SequentialSpecification(initial: 0) { state, operation in
        switch operation {
        case .increment: (state + 1, state + 1)
        case .read: (state, state)
        }
    } }

    /// Increments with a load and a store: two at once can both return the same count.
    final class RacyCounter: @unchecked Sendable {
        let count = Shared(0, name: "count")
        func perform(_ operation: CounterOperation) -> Int {
            switch operation {
            case .increment:
                let next = count.load() + 1
                count.store(next)
                return next
            case .read:
                return count.load()
            }
        }
    }

    /// Increments with one atomic read-modify-write.
    final class AtomicCounter: @unchecked Sendable {
        let count = AtomicInt(0, name: "count")
        func perform(_ operation: CounterOperation) -> Int {
            operation == .increment ? count.fetchAdd(1) + 1 : count.load()
        }
    }

    static let scenario = OperationScenario<CounterOperation>.random(threads: 3, operations: 3, seed: 5) { generator in
        generator.below(3) == 0 ? .read : .increment
    }

    static let plan = ExplorationPlan(strategy: .random, seed: 1, schedules: 300, shrinkBudget: 0)

    static func racy(shrinkBudget: Int = 60) -> ScenarioTester.Failure<CounterOperation>? {
        ScenarioTester.check(
            scenario, plan: plan, shrinkBudget: shrinkBudget, makeObject: { RacyCounter() }, perform: { $0.perform($1) },
            specification: counter)
    }

    @Test func aLostUpdateShrinksToTwoIncrementsInTwoThreads() throws {
        let failure = try #require(Self.racy())
        #expect(failure.original.operationCount == 9)
        // Nothing smaller than two concurrent increments can lose an update.
        #expect(failure.smallest.threads == [[.increment], [.increment]], "\(failure.smallest)")
        #expect(failure.found.failure.kind == .assertion)
        #expect(failure.description.contains("scenario (2 of the 9 operations still fail):\nthread 1: increment()\nthread 2: increment()"), "\(failure)")
        #expect(failure.description.contains("not linearizable"))
        // Deterministic: the same smallest scenario and the same failing schedule again.
        let again = try #require(Self.racy())
        #expect(again.smallest == failure.smallest && again.description == failure.description)
    }

    @Test func aCorrectObjectPasses() {
        let failure = ScenarioTester.check(
            Self.scenario, plan: Self.plan, makeObject: { AtomicCounter() }, perform: { $0.perform($1) },
            specification: Self.counter)
        #expect(failure == nil)
    }

    @Test func shrinkingStopsAtItsBudget() throws {
        let failure = try #require(Self.racy(shrinkBudget: 1))
        #expect(failure.shrinkExplorations == 1)
        #expect(failure.smallest.operationCount >= 8)
    }

    @Test func aRandomScenarioIsAFunctionOfItsSeed() {
        let draw = { (generator: inout SeededGenerator) -> CounterOperation in generator.below(2) == 0 ? .read : .increment }
        let a = OperationScenario<CounterOperation>.random(threads: 2, operations: 4, seed: 9, draw: draw)
        let b = OperationScenario<CounterOperation>.random(threads: 2, operations: 4, seed: 9, draw: draw)
        let c = OperationScenario<CounterOperation>.random(threads: 2, operations: 4, seed: 10, draw: draw)
        #expect(a == b && a.threads.map(\.count) == [4, 4])
        #expect(a != c)
        #expect(a.oneSmaller.count == 8 && a.oneSmaller.allSatisfy { $0.operationCount == 7 })
    }
}
