import CheckKit
import Testing
import TurnstileBugCorpus
import TurnstileRuntime

/// The release/acquire model: the outcomes C11 allows and x86 does not are reached, the ones it
/// forbids never are, and a bug from a missing ordering is reported with the stale load named.
@Suite struct WeakMemoryTests {
    /// Every outcome of `program` under `model`, by a search that must complete.
    static func outcomes(
        _ model: ExecutionOptions.MemoryModel, preemptions: Int = 3, _ program: @escaping () -> () -> String
    ) -> Set<String> {
        let (seen, result) = PartialOrderReductionTests.outcomes(
            .exhaustive(preemptions: preemptions), memoryModel: model, program)
        #expect(result.failure == nil)
        #expect(result.exhausted, "the search must complete for the outcome set to be all of them")
        return seen
    }

    /// Message passing: data, then a flag; the reader reads the flag, then the data.
    static func messagePassing(store: MemoryOrdering, load: MemoryOrdering) -> () -> String {
        let data = AtomicInt(0, name: "data")
        let flag = AtomicInt(0, name: "flag")
        let seen = ControlledBox("")
        let writer = Runtime.spawn(name: "writer") {
            data.store(1, ordering: .relaxed)
            flag.store(1, ordering: store)
        }
        let reader = Runtime.spawn(name: "reader") {
            let f = flag.load(ordering: load)
            let d = data.load(ordering: .relaxed)
            seen.value = "\(f)\(d)"
        }
        writer.join()
        reader.join()
        return { seen.value }
    }

    /// Store buffering: each thread stores its flag, then loads the other's.
    static func storeBuffering(_ ordering: MemoryOrdering) -> () -> String {
        let x = AtomicInt(0, name: "x")
        let y = AtomicInt(0, name: "y")
        let r = ControlledBox([-1, -1])
        let a = Runtime.spawn(name: "a") {
            x.store(1, ordering: ordering == .sequentiallyConsistent ? ordering : .releasing)
            r.value[0] = y.load(ordering: ordering == .sequentiallyConsistent ? ordering : .acquiring)
        }
        let b = Runtime.spawn(name: "b") {
            y.store(1, ordering: ordering == .sequentiallyConsistent ? ordering : .releasing)
            r.value[1] = x.load(ordering: ordering == .sequentiallyConsistent ? ordering : .acquiring)
        }
        a.join()
        b.join()
        return { "\(r.value[0])\(r.value[1])" }
    }

    @Test func relaxedMessagePassingCanSeeTheFlagWithoutTheData() {
        let relaxed = Self.outcomes(.releaseAcquire) { Self.messagePassing(store: .relaxed, load: .relaxed) }
        #expect(relaxed == ["00", "01", "10", "11"], "flag seen, data not: 10 is allowed with relaxed orderings")
        let synchronized = Self.outcomes(.releaseAcquire) { Self.messagePassing(store: .releasing, load: .acquiring) }
        #expect(synchronized == ["00", "01", "11"], "an acquire that reads the release sees the data")
        // Under sequential consistency and TSO the stale data is never read.
        #expect(Self.outcomes(.sequentiallyConsistent) { Self.messagePassing(store: .relaxed, load: .relaxed) } == ["00", "01", "11"])
        #expect(Self.outcomes(.totalStoreOrder) { Self.messagePassing(store: .relaxed, load: .relaxed) } == ["00", "01", "11"])
    }

    @Test func storeBufferingNeedsSequentiallyConsistentOrderings() {
        #expect(Self.outcomes(.releaseAcquire) { Self.storeBuffering(.acquiringAndReleasing) } == ["00", "01", "10", "11"])
        #expect(Self.outcomes(.releaseAcquire) { Self.storeBuffering(.sequentiallyConsistent) } == ["01", "10", "11"])
    }

    /// Coherence: once a thread has read a store, it never reads an older one of that location.
    @Test func aThreadNeverReadsBackwards() {
        let seen = Self.outcomes(.releaseAcquire) {
            let x = AtomicInt(0, name: "x")
            let r = ControlledBox("")
            let writer = Runtime.spawn(name: "writer") {
                x.store(1, ordering: .relaxed)
                x.store(2, ordering: .relaxed)
            }
            let reader = Runtime.spawn(name: "reader") {
                let a = x.load(ordering: .relaxed)
                let b = x.load(ordering: .relaxed)
                r.value = "\(a)\(b)"
            }
            writer.join()
            reader.join()
            return { r.value }
        }
        #expect(seen.contains("02") && seen.contains("00") && seen.contains("12"), "stale and fresh reads both happen: \(seen)")
        #expect(!seen.contains("10") && !seen.contains("20") && !seen.contains("21"), "never backwards: \(seen)")
    }

    /// A relaxed read-modify-write continues a release sequence: an acquire that reads it still
    /// synchronizes with the release at the head.
    @Test func readModifyWritesContinueReleaseSequences() {
        let seen = Self.outcomes(.releaseAcquire, preemptions: 2) {
            let data = AtomicInt(0, name: "data")
            let flag = AtomicInt(0, name: "flag")
            let r = ControlledBox("")
            let writer = Runtime.spawn(name: "writer") {
                data.store(1, ordering: .relaxed)
                flag.store(1, ordering: .releasing)
            }
            let bumper = Runtime.spawn(name: "bumper") { flag.fetchAdd(1, ordering: .relaxed) }
            let reader = Runtime.spawn(name: "reader") {
                if flag.load(ordering: .acquiring) == 2 { r.value = "\(data.load(ordering: .relaxed))" }
            }
            writer.join()
            bumper.join()
            reader.join()
            return { r.value }
        }
        #expect(seen.contains(""))
        // Reading 2 means the bump read the release; either the reader sees data 1, or the bump
        // came first (flag 1 then 2 from the writer's store is impossible: stores append).
        #expect(!seen.contains("0"), "the acquire read the bump that continued the release: data must be visible (\(seen))")
    }

    /// Locks, spawn and join synchronize: a counter behind a lock never loses an increment.
    @Test func lockedDataIsNeverStale() {
        let seen = Self.outcomes(.releaseAcquire, preemptions: 2) {
            let lock = Lock(name: "m")
            let counter = Shared(0, name: "counter")
            let handles = (0..<2).map { i in
                Runtime.spawn(name: "t\(i)") { lock.withLock { counter.store(counter.load() + 1) } }
            }
            for handle in handles { handle.join() }
            return { "\(counter.load())" }
        }
        #expect(seen == ["2"])
    }

    @Test func aRelaxedTicketLockLosesAnIncrementAndTheTraceNamesTheStaleLoad() throws {
        var plan = ExplorationPlan(strategy: .random, seed: 7, schedules: 2_000)
        plan.options.memoryModel = .releaseAcquire
        let buggy = try #require(BugCorpus.all.first { $0.id == "ticket-lock-relaxed" })
        let result = Explorer.exploreScenarios(plan, makeScenario: buggy.buggy)
        let failure = try #require(result.failure)
        #expect(failure.failure.kind == .assertion)
        #expect(failure.failure.message.contains("lost increments"))
        #expect(failure.report.staleReads.contains { $0.contains("load counter") && $0.contains("read a stale 0") },
                "\(failure.report.staleReads)")
        #expect(failure.report.renderTrace().contains("load counter read a stale 0 (1 was stored later)"))
        // The same program on x86 (TSO) and under sequential consistency is correct.
        for model in [ExecutionOptions.MemoryModel.totalStoreOrder, .sequentiallyConsistent] {
            var strong = plan
            strong.options.memoryModel = model
            #expect(Explorer.exploreScenarios(strong, makeScenario: buggy.buggy).failure == nil, "\(model)")
        }
        // With release/acquire orderings it is correct under the weak model too.
        #expect(Explorer.exploreScenarios(plan, makeScenario: buggy.correct).failure == nil)
    }

    @Test func theSameSeedGivesTheSameStaleReads() throws {
        var plan = ExplorationPlan(strategy: .random, seed: 3, schedules: 500)
        plan.options.memoryModel = .releaseAcquire
        let buggy = try #require(BugCorpus.all.first { $0.id == "message-passing-relaxed" })
        let first = try #require(Explorer.exploreScenarios(plan, makeScenario: buggy.buggy).failure)
        let second = try #require(Explorer.exploreScenarios(plan, makeScenario: buggy.buggy).failure)
        #expect(first.executionSeed == second.executionSeed)
        #expect(first.report.renderTrace() == second.report.renderTrace())
        #expect(!first.report.staleReads.isEmpty)
    }
}
