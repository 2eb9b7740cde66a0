import CheckKit
import AssignmentContract
import TurnstileRuntime

/// The hidden checks of the mutual-exclusion assignment. Controlled checks use fixed seeds, so a
/// regrade gives the same result.
enum HiddenChecks {
    static var all: [CheckDefinition] {
        [petersonExploration, petersonPCT, petersonTSO, petersonAlone, petersonWeakMemory, petersonNative,
         ticketExploration, ticketPCT, ticketWeakMemory, ticketNative]
    }

    static func peterson(rounds: Int) -> Scenario {
        let lock = Submission.makePetersonLock()
        return PublicChecks.contention(threads: 2, rounds: rounds, lock: { lock.lock($0) }, unlock: { lock.unlock($0) })
    }

    static func ticket(threads: Int, rounds: Int) -> Scenario {
        let lock = Submission.makeTicketLock()
        return PublicChecks.contention(threads: threads, rounds: rounds, lock: { _ in lock.lock() }, unlock: { _ in lock.unlock() })
    }

    static let petersonExploration = CheckDefinition(
        id: "peterson-mutual-exclusion",
        title: "Peterson's lock: mutual exclusion and no deadlock over 2,000 schedules",
        explanation: "both threads must never be inside together, and they must never both wait forever.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 201, schedules: 2_000)),
        makeScenario: { peterson(rounds: 3) })

    static let petersonPCT = CheckDefinition(
        id: "peterson-pct",
        title: "Peterson's lock under priority-based (PCT) scheduling",
        explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 100), seed: 202, schedules: 1_000)),
        makeScenario: { peterson(rounds: 2) })

    static let petersonTSO = CheckDefinition(
        id: "peterson-x86-tso",
        title: "Peterson's lock on an x86 memory model (store buffers)",
        explanation: "on x86 a store can wait in a buffer while later loads go ahead; Peterson's flag and turn stores need sequentially consistent ordering (or a fence) so each thread sees the other's flag.",
        mode: .controlled(ExplorationPlan(
            strategy: .random, seed: 203, schedules: 2_000, options: ExecutionOptions(memoryModel: .totalStoreOrder))),
        makeScenario: { peterson(rounds: 2) })

    /// The release/acquire model (as on ARM): the ordering of every load and store matters.
    static let weakMemory = ExecutionOptions(memoryModel: .releaseAcquire)

    static let petersonWeakMemory = CheckDefinition(
        id: "peterson-weak-memory",
        title: "Peterson's lock on a weak memory model (release/acquire, as on ARM)",
        explanation: "with only release stores and acquire loads a thread may still read the other's old flag, and both enter; Peterson's lock needs sequentially consistent flag and turn accesses.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 207, schedules: 2_000, options: weakMemory)),
        makeScenario: { peterson(rounds: 2) })

    static let petersonAlone = CheckDefinition(
        id: "peterson-progress",
        title: "Peterson's lock: a thread alone never waits",
        explanation: "progress: if the other thread is not interested, lock must return at once, again and again (strict alternation fails this).",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 204, schedules: 50, options: ExecutionOptions(maxDecisions: 2_000))),
        makeScenario: {
            Scenario(run: {
                let lock = Submission.makePetersonLock()
                for me in [0, 0, 0, 1, 1, 0] {
                    lock.lock(me)
                    lock.unlock(me)
                }
            })
        })

    static let petersonNative = CheckDefinition(
        id: "peterson-native-stress",
        title: "Peterson's lock on real threads: 2 × 20,000 increments",
        explanation: "on real hardware a missing sequentially consistent ordering loses increments.",
        mode: .native(iterations: 3, longIterations: 30),
        makeScenario: {
            Scenario(run: {
                let lock = Submission.makePetersonLock()
                let counter = Shared(0)
                let threads = (0..<2).map { me in
                    Runtime.spawn { for _ in 0..<20_000 { lock.lock(me); counter.store(counter.load() + 1); lock.unlock(me) } }
                }
                for thread in threads { thread.join() }
                require(counter.load() == 40_000, "lost increments: \(counter.load()) of 40000")
            })
        })

    static let ticketExploration = CheckDefinition(
        id: "ticket-mutual-exclusion",
        title: "ticket lock: three threads, mutual exclusion and no deadlock over 2,000 schedules",
        explanation: "two threads with the same ticket, or a ticket never served, fails.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 205, schedules: 2_000)),
        makeScenario: { ticket(threads: 3, rounds: 2) })

    static let ticketPCT = CheckDefinition(
        id: "ticket-pct",
        title: "ticket lock under priority-based (PCT) scheduling",
        explanation: "PCT reaches preemptions at unlikely points that random scheduling rarely tries.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 120), seed: 206, schedules: 1_000)),
        makeScenario: { ticket(threads: 3, rounds: 2) })

    static let ticketWeakMemory = CheckDefinition(
        id: "ticket-weak-memory",
        title: "ticket lock on a weak memory model (release/acquire, as on ARM): 3 threads, increments inside",
        explanation: "the wait for your ticket must acquire what unlock released; with relaxed orderings the next holder can read the counter as it was before the previous holder's increment.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 208, schedules: 2_000, options: weakMemory)),
        makeScenario: { ticket(threads: 3, rounds: 2) })

    static let ticketNative = CheckDefinition(
        id: "ticket-native-stress",
        title: "ticket lock on real threads: 3 × 20,000 increments",
        explanation: "under real parallelism every increment inside the lock must count.",
        mode: .native(iterations: 3, longIterations: 30),
        makeScenario: {
            Scenario(run: {
                let lock = Submission.makeTicketLock()
                let counter = Shared(0)
                let threads = (0..<3).map { _ in
                    Runtime.spawn { for _ in 0..<20_000 { lock.lock(); counter.store(counter.load() + 1); lock.unlock() } }
                }
                for thread in threads { thread.join() }
                require(counter.load() == 60_000, "lost increments: \(counter.load()) of 60000")
            })
        })
}
