import CheckKit
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// Partial-order reduction reaches every outcome a full search reaches, in fewer executions,
/// and completes where a preemption-bounded search cannot.
@Suite struct PartialOrderReductionTests {
    /// Outcomes seen across an exploration: each execution's end state as a string.
    final class Outcomes: @unchecked Sendable {
        // Safety: written only by scenarios under the controlled engine (one OS thread).
        var seen: Set<String> = []
    }

    /// Explores `program` (which returns its end state as a string) and collects the outcomes.
    static func outcomes(
        _ strategy: StrategyKind, schedules: Int = 200_000, spurious: Int = 0,
        memoryModel: ExecutionOptions.MemoryModel = .sequentiallyConsistent, _ program: @escaping () -> () -> String
    ) -> (outcomes: Set<String>, result: ExplorationResult) {
        let outcomes = Outcomes()
        var plan = ExplorationPlan(strategy: strategy, seed: 1, schedules: schedules)
        plan.options.spuriousWakeups = spurious
        plan.options.memoryModel = memoryModel
        let result = Explorer.exploreScenarios(plan) {
            var finish: (() -> String)?
            return Scenario(
                run: { finish = program() },
                verify: { _ in
                    if let finish { outcomes.seen.insert(finish()) }
                    return nil
                })
        }
        return (outcomes.seen, result)
    }

    /// Store buffering under sequential consistency: each thread stores its flag, then reads
    /// the other's. (0, 0) is impossible; the other three outcomes are reachable.
    static func storeBuffering() -> () -> String {
        let x = AtomicInt(0, name: "x")
        let y = AtomicInt(0, name: "y")
        let r1 = ControlledBox(-1)
        let r2 = ControlledBox(-1)
        let a = Runtime.spawn(name: "a") { x.store(1); r1.value = y.load() }
        let b = Runtime.spawn(name: "b") { y.store(1); r2.value = x.load() }
        a.join()
        b.join()
        return { "\(r1.value)\(r2.value)" }
    }

    /// Three threads increment a shared counter without a lock (load, then store) and one
    /// reads it midway: lost updates give 1, 2 or 3.
    static func lostUpdates() -> () -> String {
        let counter = Shared(0, name: "counter")
        let seen = ControlledBox(-1)
        var handles = (0..<3).map { i in
            Runtime.spawn(name: "t\(i)") { counter.store(counter.load() + 1) }
        }
        handles.append(Runtime.spawn(name: "reader") { seen.value = counter.load() })
        for handle in handles { handle.join() }
        return { "\(counter.load())/\(seen.value)" }
    }

    /// A hand-off through a lock and a condition variable, with a second producer racing.
    static func handOff() -> () -> String {
        let lock = Lock(name: "m")
        let ready = Condition(lock: lock, name: "ready")
        let items = ControlledBox<[Int]>([])
        let order = ControlledBox<[Int]>([])
        let producers = (1...2).map { value in
            Runtime.spawn(name: "p\(value)") {
                lock.lock()
                items.value.append(value)
                ready.signal()
                lock.unlock()
            }
        }
        let consumer = Runtime.spawn(name: "c") {
            for _ in 0..<2 {
                lock.lock()
                while items.value.isEmpty { ready.wait() }
                order.value.append(items.value.removeFirst())
                lock.unlock()
            }
        }
        for handle in producers + [consumer] { handle.join() }
        return { order.value.map(String.init).joined(separator: ",") }
    }

    /// Three threads that each touch only their own variable: one schedule up to equivalence.
    static func independent() -> () -> String {
        let handles = (0..<3).map { i in
            Runtime.spawn(name: "t\(i)") {
                let own = AtomicInt(0)
                for _ in 0..<3 { own.fetchAdd(1) }
            }
        }
        for handle in handles { handle.join() }
        return { "done" }
    }

    @Test(arguments: ["store-buffering", "lost-updates", "hand-off"])
    func reachesEveryOutcomeOfAFullSearchInFewerExecutions(_ name: String) {
        let program: () -> () -> String =
            switch name {
            case "store-buffering": Self.storeBuffering
            case "lost-updates": Self.lostUpdates
            default: Self.handOff
            }
        // Every outcome a sampler or a bounded search reaches is reached, and no other: the
        // union of 20,000 random schedules and a preemption-bounded search is what the
        // reduced search finds, in fewer executions than the bounded search alone.
        let full = Self.outcomes(.exhaustive(preemptions: 3), schedules: 20_000, program)
        let random = Self.outcomes(.random, schedules: 20_000, program)
        let reduced = Self.outcomes(.dpor, program)
        #expect(reduced.result.exhausted)
        #expect(full.result.failure == nil && reduced.result.failure == nil)
        #expect(reduced.outcomes == full.outcomes.union(random.outcomes), "\(name): reduced \(reduced.outcomes.sorted()) others \(full.outcomes.union(random.outcomes).sorted())")
        #expect(reduced.outcomes.count > 1)
        #expect(reduced.result.schedules < full.result.schedules, "\(name): \(reduced.result.schedules) vs \(full.result.schedules)")
    }

    @Test func storeBufferingHasExactlyTheThreeSequentiallyConsistentOutcomes() {
        let reduced = Self.outcomes(.dpor, Self.storeBuffering)
        #expect(reduced.outcomes == ["01", "10", "11"])
    }

    @Test func independentThreadsNeedOneExecution() {
        let reduced = Self.outcomes(.dpor, Self.independent)
        #expect(reduced.result.exhausted)
        // One execution for each way the main thread's three joins can find their thread
        // finished or not (a blocked join attempt is a step of its own); every interleaving of
        // the threads' own steps is equivalent.
        #expect(reduced.result.schedules - reduced.result.abandoned <= 8, "\(reduced.result.schedules) executions")
        let full = Self.outcomes(.exhaustive(preemptions: 2), Self.independent)
        #expect(reduced.result.schedules * 10 < full.result.schedules, "\(full.result.schedules)")
    }

    @Test func spuriousWakeupsAreExploredAsChoices() {
        // With spurious wakeups allowed the hand-off has the same outcomes, and more executions.
        let without = Self.outcomes(.dpor, Self.handOff)
        let with = Self.outcomes(.dpor, spurious: 2, Self.handOff)
        #expect(with.outcomes == without.outcomes)
        #expect(with.result.schedules > without.result.schedules)
        #expect(with.result.exhausted)
    }

    /// Three philosophers with one lock per fork: all left-first (a deadlock) or ordered.
    static func philosophers(leftFirst: Bool) -> Scenario {
        let corpusCase = BugCorpus.all.first { $0.id == "philosophers-left-first" }!
        return leftFirst ? corpusCase.buggy() : corpusCase.correct()
    }

    @Test func threePhilosophersCompleteWithTenTimesFewerExecutionsThanTheBoundedSearch() {
        let dpor = Explorer.exploreScenarios(ExplorationPlan(strategy: .dpor, schedules: 100_000)) {
            Self.philosophers(leftFirst: false)
        }
        let bounded = Explorer.exploreScenarios(ExplorationPlan(strategy: .exhaustive(preemptions: 2), schedules: 100_000)) {
            Self.philosophers(leftFirst: false)
        }
        #expect(dpor.failure == nil && bounded.failure == nil)
        #expect(dpor.exhausted && bounded.exhausted)
        #expect(dpor.schedules * 10 <= bounded.schedules, "partial-order reduction \(dpor.schedules), preemption-bounded \(bounded.schedules)")
    }

    @Test func findsTheDeadlockOfLeftFirstPhilosophers() throws {
        let result = Explorer.exploreScenarios(ExplorationPlan(strategy: .dpor, schedules: 100_000)) {
            Self.philosophers(leftFirst: true)
        }
        let found = try #require(result.failure)
        #expect(found.failure.kind == ExecutionFailure.Kind.deadlock)
    }

    /// Sequentially consistent corpus cases a depth-first search reaches; the reader-preference
    /// starvation needs a writer that waits through many reader rounds, deep in the search
    /// order, and is left to the random and PCT checks.
    static let corpusCases = BugCorpus.all.filter {
        $0.plan.options.memoryModel == .sequentiallyConsistent && $0.id != "readers-preference-starves-writer"
    }.map(\.id)

    @Test(arguments: Self.corpusCases)
    func findsEveryCorpusBugAndPassesEveryCorrectTwin(_ id: String) throws {
        let corpusCase = try #require(BugCorpus.all.first { $0.id == id })
        var plan = corpusCase.plan
        plan.strategy = .dpor
        plan.schedules = 5_000
        let buggy = Explorer.exploreScenarios(plan, makeScenario: corpusCase.buggy)
        let found = try #require(buggy.failure, "\(id): not found in \(buggy.schedules) executions")
        #expect(corpusCase.accepts(found.failure.kind), "\(id): \(found.failure)")
        plan.schedules = 500
        let correct = Explorer.exploreScenarios(plan, makeScenario: corpusCase.correct)
        #expect(correct.failure == nil, "\(id): \(correct.failure.map { "\($0.failure)\n\($0.report.renderTrace())" } ?? "")")
    }

    @Test func aProgramThatBehavesDifferentlyOnReplayDoesNotStopTheSearch() {
        // The scenario spawns one more thread every other execution (as code reading a clock
        // might): replaying a prefix then meets choices it did not record. The search goes on
        // from there and ends within its budget instead of crashing the check.
        let runs = Outcomes()
        let plan = ExplorationPlan(strategy: .dpor, seed: 1, schedules: 300)
        let result = Explorer.explore(plan) {
            runs.seen.insert("\(runs.seen.count)")
            let counter = AtomicInt(0, name: "counter")
            let extra = runs.seen.count % 2 == 0 ? 1 : 0
            let handles = (0..<(2 + extra)).map { i in Runtime.spawn(name: "t\(i)") { counter.fetchAdd(1) } }
            for handle in handles { handle.join() }
        }
        #expect(result.failure == nil)
        #expect(result.schedules <= 300)
    }

    @Test func aCorrectSpinWithYieldCompletesAndANeverSatisfiedSpinIsALivelock() throws {
        let plan = ExplorationPlan(strategy: .dpor, seed: 1, schedules: 100_000)
        let counter = Explorer.exploreScenarios(plan) { FairSearchTests.seatCounter(seats: 1, guests: 3) }
        #expect(counter.failure == nil, "\(counter.failure?.failure.description ?? "")")
        #expect(counter.exhausted, "\(counter.schedules)")
        let stuck = Explorer.explore(plan) {
            let flag = AtomicBool(false, name: "flag")
            Runtime.spawn(name: "waiter") { while !flag.load() { Runtime.yield() } }
        }
        #expect(try #require(stuck.failure).failure.kind == .livelock)
    }
}

/// Partial-order reduction when the main thread's return ends the execution (a C `main`
/// returning): the exit is a step every other thread's steps depend on, so the reduced search
/// still reaches every end state a full search reaches, including those where threads were cut
/// off early or late.
@Suite struct ProcessExitReductionTests {
    /// Two threads write and read a shared value; main returns after a locked read, without
    /// joining. The end state is what each had done when the process exited.
    static func cutOff() -> () -> String {
        let x = Shared(0, name: "x")
        let lock = Lock(name: "m")
        let count = ControlledBox(0)
        let seen = ControlledBox(-1)
        let observed = ControlledBox(-1)
        _ = Runtime.spawn(name: "writer") {
            x.store(1)
            lock.withLock { count.value += 1 }
            x.store(2)
        }
        _ = Runtime.spawn(name: "reader") {
            seen.value = x.load()
            lock.withLock { count.value += 10 }
        }
        lock.withLock { observed.value = count.value }
        return { "x=\(x.load()) seen=\(seen.value) count=\(count.value) main=\(observed.value)" }
    }

    static func outcomes(_ strategy: StrategyKind) -> (Set<String>, ExplorationResult) {
        final class Seen: @unchecked Sendable { var set: Set<String> = [] }
        let seen = Seen()
        var plan = ExplorationPlan(strategy: strategy, seed: 1, schedules: 200_000)
        plan.options.spuriousWakeups = 0
        plan.options.mainReturnEndsExecution = true
        let result = Explorer.exploreScenarios(plan) {
            var finish: (() -> String)?
            return Scenario(run: { finish = cutOff() }, verify: { _ in
                if let finish { seen.set.insert(finish()) }
                return nil
            })
        }
        return (seen.set, result)
    }

    @Test func reachesEveryEndStateOfAFullSearch() {
        let (full, fullResult) = Self.outcomes(.exhaustive(preemptions: 20))
        let (reduced, reducedResult) = Self.outcomes(.dpor)
        #expect(fullResult.exhausted && reducedResult.exhausted)
        #expect(reduced == full, "missing \(full.subtracting(reduced).sorted()); extra \(reduced.subtracting(full).sorted())")
        // Threads cut off before they ran, and after they finished, are both among them.
        #expect(full.contains("x=0 seen=-1 count=0 main=0"))
        #expect(full.contains { $0.hasPrefix("x=2 seen=") && $0.hasSuffix("count=11 main=11") })
        #expect(reducedResult.schedules < fullResult.schedules, "\(reducedResult.schedules) vs \(fullResult.schedules)")
    }

    @Test(arguments: ["account", "token_ring"])
    func findsTheSCTBenchBugsWhoseMainReturns(_ id: String) throws {
        let program = try #require(SCTBench.all.first { $0.id == id })
        #expect(program.mainReturns)
        var plan = program.plan(.dpor, schedules: 10_000)
        plan.options.recordTrace = false
        let result = Explorer.exploreScenarios(plan, makeScenario: program.make)
        #expect(result.failure?.report.failure?.kind == program.expected, "not within \(result.schedules)")
    }
}
