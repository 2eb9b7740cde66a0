import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks of the mutual-exclusion assignment, the XCTest way. Controlled checks use
/// fixed seeds, so a regrade gives the same result.
final class HiddenMutualExclusionChecks: MutualExclusionChecks {
    /// The release/acquire model (as on ARM): the ordering of every load and store matters.
    static let weakMemory = ExecutionOptions(memoryModel: .releaseAcquire)

    func petersonThreeRounds() { peterson(rounds: 3) }

    /// Progress: a thread alone (the other not interested) never waits.
    func petersonAlone() {
        let lock = Submission.makePetersonLock()
        for me in [0, 0, 0, 1, 1, 0] {
            lock.lock(me)
            lock.unlock(me)
        }
    }

    /// Real threads: `threads` × 20,000 increments under the lock.
    func realThreads(threads: Int, lock: @escaping @Sendable (Int) -> Void, unlock: @escaping @Sendable (Int) -> Void) {
        let counter = Shared(0)
        let handles = (0..<threads).map { me in
            Runtime.spawn { for _ in 0..<20_000 { lock(me); counter.store(counter.load() + 1); unlock(me) } }
        }
        for handle in handles { handle.join() }
        CheckAssertEqual(counter.load(), threads * 20_000, "increments counted")
    }

    func petersonRealThreads() {
        let lock = Submission.makePetersonLock()
        realThreads(threads: 2, lock: { lock.lock($0) }, unlock: { lock.unlock($0) })
    }

    func ticketRealThreads() {
        let lock = Submission.makeTicketLock()
        realThreads(threads: 3, lock: { _ in lock.lock() }, unlock: { _ in lock.unlock() })
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "peterson-mutual-exclusion", "Peterson's lock: mutual exclusion and no deadlock over 2,000 schedules",
                explanation: "both threads must never be inside together, and they must never both wait forever.",
                points: 10, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 201, schedules: 2_000)),
                HiddenMutualExclusionChecks.petersonThreeRounds),
            check(
                "peterson-pct", "Peterson's lock under priority-based (PCT) scheduling",
                explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
                points: 5, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 100), seed: 202, schedules: 1_000)),
                HiddenMutualExclusionChecks.petersonTwoRounds),
            check(
                "peterson-x86-tso", "Peterson's lock on an x86 memory model (store buffers)",
                explanation: "on x86 a store can wait in a buffer while later loads go ahead; Peterson's flag and turn stores need sequentially consistent ordering (or a fence) so each thread sees the other's flag.",
                points: 15, property: .memoryOrdering, .hidden,
                .controlled(ExplorationPlan(
                    strategy: .random, seed: 203, schedules: 2_000, options: ExecutionOptions(memoryModel: .totalStoreOrder))),
                HiddenMutualExclusionChecks.petersonTwoRounds),
            check(
                "peterson-progress", "Peterson's lock: a thread alone never waits",
                explanation: "progress: if the other thread is not interested, lock must return at once, again and again (strict alternation fails this).",
                points: 10, property: .progress, .hidden,
                .controlled(ExplorationPlan(strategy: .random, seed: 204, schedules: 50, options: ExecutionOptions(maxDecisions: 2_000))),
                HiddenMutualExclusionChecks.petersonAlone),
            check(
                "peterson-weak-memory", "Peterson's lock on a weak memory model (release/acquire, as on ARM)",
                explanation: "with only release stores and acquire loads a thread may still read the other's old flag, and both enter; Peterson's lock needs sequentially consistent flag and turn accesses.",
                points: 10, property: .memoryOrdering, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 207, schedules: 2_000, options: weakMemory)),
                HiddenMutualExclusionChecks.petersonTwoRounds),
            check(
                "peterson-native-stress", "Peterson's lock on real threads: 2 × 20,000 increments",
                explanation: "on real hardware a missing sequentially consistent ordering loses increments.",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenMutualExclusionChecks.petersonRealThreads),
            check(
                "ticket-mutual-exclusion", "ticket lock: three threads, mutual exclusion and no deadlock over 2,000 schedules",
                explanation: "two threads with the same ticket, or a ticket never served, fails.",
                points: 10, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 205, schedules: 2_000)),
                HiddenMutualExclusionChecks.ticketThreeThreads),
            check(
                "ticket-pct", "ticket lock under priority-based (PCT) scheduling",
                explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
                points: 10, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 120), seed: 206, schedules: 1_000)),
                HiddenMutualExclusionChecks.ticketThreeThreads),
            check(
                "ticket-weak-memory", "ticket lock on a weak memory model (release/acquire, as on ARM): 3 threads, increments inside",
                explanation: "the wait for your ticket must acquire what unlock released; with relaxed orderings the next holder can read the counter as it was before the previous holder's increment.",
                points: 10, property: .memoryOrdering, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 208, schedules: 2_000, options: weakMemory)),
                HiddenMutualExclusionChecks.ticketThreeThreads),
            check(
                "ticket-native-stress", "ticket lock on real threads: 3 × 20,000 increments",
                explanation: "under real parallelism every increment inside the lock must count.",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenMutualExclusionChecks.ticketRealThreads),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenMutualExclusionChecks.checks }
}
