import CheckKit
import TurnstileRuntime

/// The engine's bug corpus: every classic mistake the course warns about, each with the
/// failure the controlled engine must report and a correct twin that must pass.
public enum BugCorpus {
    /// Every case, in a stable order.
    public static let all: [CorpusCase] = {
        let random = ExplorationPlan(strategy: .random, seed: 1, schedules: 1_000)
        var tso = random
        tso.options.memoryModel = .totalStoreOrder
        var weak = random
        weak.options.memoryModel = .releaseAcquire
        var pct = ExplorationPlan(strategy: .pct(depth: 2, steps: 120), seed: 1, schedules: 1_000)
        pct.options.spuriousWakeups = 0
        return [
            CorpusCase(
                id: "peterson-no-turn", summary: "Peterson's lock without the turn variable: both threads raise their flag and wait for each other forever",
                expectedKind: .livelock, plan: withSteps(random, 2_000),
                buggy: { PetersonCorpus.scenario(.noTurn) }, correct: { PetersonCorpus.scenario(.correct) }),
            CorpusCase(
                id: "peterson-swapped-writes", summary: "Peterson's lock writing turn before its own flag: both threads can enter",
                expectedKind: .assertion, plan: random,
                buggy: { PetersonCorpus.scenario(.swappedWrites) }, correct: { PetersonCorpus.scenario(.correct) }),
            CorpusCase(
                id: "peterson-no-fence-tso", summary: "Peterson's lock with release stores under x86-TSO: the flag store waits in the store buffer while the other flag is read",
                expectedKind: .assertion, plan: tso,
                buggy: { PetersonCorpus.scenario(.noFence) }, correct: { PetersonCorpus.scenario(.correct) }),
            CorpusCase(
                id: "peterson-release-acquire", summary: "Peterson's lock with release stores and acquire loads but no sequentially consistent ordering: each thread may still read the other's old flag, and both enter",
                expectedKind: .assertion, plan: weak,
                buggy: { PetersonCorpus.scenario(.noFence) }, correct: { PetersonCorpus.scenario(.correct) }),
            CorpusCase(
                id: "ticket-lock-relaxed", summary: "a ticket lock with every ordering relaxed: the next holder may read the counter as it was before the previous holder's increment",
                expectedKind: .assertion, plan: weak,
                buggy: { WeakMemoryCorpus.ticketLock(.relaxed) }, correct: { WeakMemoryCorpus.ticketLock(.releaseAcquire) }),
            CorpusCase(
                id: "message-passing-relaxed", summary: "a ready flag stored and loaded relaxed: the reader sees the flag but not the data written before it",
                expectedKind: .assertion, plan: weak,
                buggy: { WeakMemoryCorpus.messagePassing(flag: .relaxed, load: .relaxed) },
                correct: { WeakMemoryCorpus.messagePassing(flag: .releasing, load: .acquiring) }),
            CorpusCase(
                id: "semaphore-check-then-act", summary: "a semaphore that tests and decrements in two steps: two threads take one permit",
                expectedKind: .assertion, plan: random,
                buggy: { ProblemCorpus.semaphore(checkThenAct: true) }, correct: { ProblemCorpus.semaphore(checkThenAct: false) }),
            CorpusCase(
                id: "buffer-no-lock", summary: "a bounded buffer without a lock: concurrent puts lose items",
                expectedKind: .assertion, alsoAccepted: .livelock, plan: withSteps(random, 2_000),
                buggy: { BufferCorpus.scenario(.noLock, capacity: 2, producers: 2, consumers: 1, perProducer: 2) },
                correct: { BufferCorpus.scenario(.correct, capacity: 2, producers: 2, consumers: 1, perProducer: 2) }),
            CorpusCase(
                id: "buffer-if-not-while", summary: "a bounded buffer that waits with `if` instead of `while`: a spurious or stolen wakeup takes from an empty buffer",
                expectedKind: .assertion, plan: random,
                buggy: { BufferCorpus.scenario(.ifInsteadOfWhile, capacity: 1, producers: 1, consumers: 2, perProducer: 2) },
                correct: { BufferCorpus.scenario(.correct, capacity: 1, producers: 1, consumers: 2, perProducer: 2) }),
            CorpusCase(
                id: "buffer-single-condition-signal", summary: "Cargill's bug: one condition for both 'not full' and 'not empty' with signal; capacity 1, one producer, two consumers",
                expectedKind: .deadlock, plan: pct,
                buggy: { BufferCorpus.scenario(.singleConditionSignal, capacity: 1, producers: 1, consumers: 2, perProducer: 4) },
                correct: { BufferCorpus.scenario(.correct, capacity: 1, producers: 1, consumers: 2, perProducer: 4) }),
            CorpusCase(
                id: "philosophers-left-first", summary: "dining philosophers who all take the left fork first: a circular wait",
                expectedKind: .deadlock, plan: random,
                buggy: { ProblemCorpus.philosophers(leftFirst: true) }, correct: { ProblemCorpus.philosophers(leftFirst: false) }),
            CorpusCase(
                id: "readers-preference-starves-writer", summary: "a reader-preference lock: readers keep overtaking a waiting writer",
                expectedKind: .assertion, plan: random,
                buggy: { ProblemCorpus.readersWriters(readerPreference: true) },
                correct: { ProblemCorpus.readersWriters(readerPreference: false) }),
        ]
    }()

    private static func withSteps(_ plan: ExplorationPlan, _ steps: Int) -> ExplorationPlan {
        var plan = plan
        plan.options.maxDecisions = steps
        return plan
    }
}
