import CheckKit
import Testing
import TurnstileRuntime

@Suite(.serialized)
struct ControlledEngineTests {
    @Test func deadlockReportsTheWaitForCycle() throws {
        let report = ControlledScheduler(strategy: ExhaustiveStrategy(preemptionBound: 2)).execute {}
        #expect(report.failure == nil)
        // Two threads taking two locks in opposite orders: some schedule deadlocks.
        let plan = ExplorationPlan(strategy: .exhaustive(preemptions: 2), schedules: 10_000)
        let result = Explorer.explore(plan) {
            let a = Lock(name: "A")
            let b = Lock(name: "B")
            let t1 = Runtime.spawn(name: "t1") { a.lock(); b.lock(); b.unlock(); a.unlock() }
            let t2 = Runtime.spawn(name: "t2") { b.lock(); a.lock(); a.unlock(); b.unlock() }
            t1.join()
            t2.join()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock)
        #expect(failure.message.contains("circular wait"))
        #expect(failure.waitFor.contains("t1 → lock B → held by t2"))
        #expect(failure.waitFor.contains("t2 → lock A → held by t1"))
    }

    /// As a C process exits when `main` returns: a thread still blocked then is no deadlock,
    /// and a thread that did not run yet never runs. Without the option both would be reported.
    @Test func mainReturningCanEndTheExecution() {
        func program() {
            let lock = Lock(name: "m")
            let never = Condition(lock: lock, name: "never")
            Runtime.spawn(name: "waiter") { lock.withLock { never.wait() } }
        }
        var plan = ExplorationPlan(strategy: .exhaustive(preemptions: 2), schedules: 1_000)
        plan.options.spuriousWakeups = 0
        #expect(Explorer.explore(plan, scenario: program).failure?.failure.kind == .deadlock)
        plan.options.mainReturnEndsExecution = true
        let ended = Explorer.explore(plan, scenario: program)
        #expect(ended.failure == nil)
        #expect(ended.exhausted)
    }

    /// A livelock names who finished, who still runs and who waits, and shows the repeating
    /// cycle once instead of hundreds of identical steps.
    @Test func aLivelockShowsItsCycleAndWhoFinished() throws {
        var plan = ExplorationPlan(strategy: .random, seed: 4, schedules: 1)
        plan.options.maxDecisions = 500
        let result = Explorer.explore(plan) {
            let flag = AtomicBool(false, name: "flag")
            let spinner = Runtime.spawn(name: "spinner") { while !flag.load() { Runtime.spinHint() } }
            Runtime.spawn(name: "helper") {}.join()
            spinner.join()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .livelock)
        #expect(failure.waitFor.contains("finished: helper"), "\(failure.waitFor)")
        #expect(failure.waitFor.contains("still running: spinner"))
        #expect(failure.waitFor.contains("blocked: main"))
        let cycle = try #require(failure.waitFor.first { $0.hasPrefix("the last ") })
        #expect(cycle.contains("cycle of 2 steps"), "\(cycle)")
        #expect(failure.waitFor.contains { $0.contains("spinner  load flag") })
        #expect(failure.waitFor.contains { $0.contains("spinner  spin") })
    }

    /// A check waiting for quiescence goes on only once every other thread sleeps or is done:
    /// in every schedule it sees the waiter asleep at the gate and the finisher finished, never
    /// a thread that is merely about to block. Spinning on a value nobody will change counts as
    /// asleep when yields await a change.
    @Test func quiescenceWaitsUntilEveryOtherThreadSleeps() {
        var plan = ExplorationPlan(strategy: .random, seed: 7, schedules: 300)
        plan.options.yieldAwaitsChange = true
        let seen = ControlledBox<[String]>([])
        let result = Explorer.explore(plan) {
            let progress = ControlledBox<[String]>([])
            let gate = CheckGate(name: "gate")
            let flag = AtomicBool(false, name: "flag")
            let sleeper = Runtime.spawn(name: "sleeper") {
                progress.value.append("sleeper at gate")
                gate.pass()
            }
            let finisher = Runtime.spawn(name: "finisher") { progress.value.append("finisher done") }
            let spinner = Runtime.spawn(name: "spinner") {
                while !flag.load() { Runtime.yield() }
            }
            Runtime.awaitQuiescence()
            seen.value = progress.value.sorted()
            CheckAssert(seen.value == ["finisher done", "sleeper at gate"], "saw \(seen.value)")
            gate.open()
            flag.store(true)
            for thread in [sleeper, finisher, spinner] { thread.join() }
        }
        #expect(result.failure == nil, "\(result.failure?.failure.message ?? "")")
        #expect(result.schedules == 300)
    }

    @Test func exhaustiveSearchEndsAndCountsSchedules() {
        let plan = ExplorationPlan(strategy: .exhaustive(preemptions: 3), schedules: 100_000)
        let result = Explorer.explore(plan) {
            let counter = AtomicInt(0)
            let t = Runtime.spawn { counter.fetchAdd(1) }
            counter.fetchAdd(1)
            t.join()
            require(counter.load() == 2, "atomic increments must not be lost")
        }
        #expect(result.failure == nil)
        #expect(result.exhausted)
        #expect(result.schedules > 1 && result.schedules < 100)
    }

    @Test func unprotectedIncrementLosesAnUpdateInSomeSchedule() throws {
        let plan = ExplorationPlan(strategy: .exhaustive(preemptions: 1), schedules: 1_000)
        let result = Explorer.explore(plan) {
            let counter = Shared(0, name: "counter")
            let t = Runtime.spawn(name: "worker") { counter.store(counter.load() + 1) }
            counter.store(counter.load() + 1)
            t.join()
            require(counter.load() == 2, "lost update: counter is \(counter.load())")
        }
        let failure = try #require(result.failure)
        #expect(failure.failure.message.contains("lost update: counter is 1"))
    }

    @Test func unlockingALockHeldByAnotherThreadIsMisuse() throws {
        let plan = ExplorationPlan(strategy: .random, schedules: 10)
        let result = Explorer.explore(plan) {
            let lock = Lock(name: "L")
            lock.lock()
            Runtime.spawn(name: "intruder") { lock.unlock() }.join()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .misuse)
        #expect(failure.message.contains("intruder unlocks L"))
    }

    @Test func lostWakeupIsReportedAsADeadlockOnACondition() throws {
        let plan = ExplorationPlan(strategy: .random, schedules: 200, options: ExecutionOptions(spuriousWakeups: 0))
        let result = Explorer.explore(plan) {
            let lock = Lock(name: "L")
            let ready = Condition(lock: lock, name: "ready")
            let flag = Shared(false, name: "flag")
            let waiter = Runtime.spawn(name: "waiter") {
                lock.lock()
                while !flag.load() { ready.wait() }
                lock.unlock()
            }
            // Bug: sets the flag without signalling.
            lock.lock()
            ready.signal()
            lock.unlock()
            lock.lock()
            flag.store(true)
            lock.unlock()
            waiter.join()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock)
        #expect(failure.waitFor.contains { $0.contains("waiter → condition ready") })
    }

    @Test func spuriousWakeupsAreInjectedOnlyWithinTheirBudget() {
        var noSpurious = ExplorationPlan(strategy: .random, schedules: 300)
        noSpurious.options.spuriousWakeups = 0
        var sawSpurious = false
        for budget in [0, 2] {
            var plan = noSpurious
            plan.options.spuriousWakeups = budget
            let scheduler = ControlledScheduler(strategy: RandomStrategy(seed: 7), options: plan.options)
            for _ in 0..<200 {
                let report = scheduler.execute {
                    let lock = Lock()
                    let condition = Condition(lock: lock)
                    let go = Shared(false)
                    let t = Runtime.spawn {
                        lock.lock()
                        while !go.load() { condition.wait() }
                        lock.unlock()
                    }
                    lock.lock()
                    go.store(true)
                    condition.broadcast()
                    lock.unlock()
                    t.join()
                }
                let spurious = report.trace.filter { $0.operation == .spuriousWakeup }.count
                #expect(report.failure == nil)
                #expect(spurious <= budget)
                if spurious > 0 { sawSpurious = true }
            }
        }
        #expect(sawSpurious)
    }
}

@Suite struct StarvationBoundTests {
    /// A greedy thread re-takes an unfair lock over and over while another waits.
    static func greedy() {
        let lock = Lock(name: "L")
        let greedy = Runtime.spawn(name: "greedy") {
            for _ in 0..<30 { lock.lock(); lock.unlock() }
        }
        let waiter = Runtime.spawn(name: "waiter") { lock.lock(); lock.unlock() }
        greedy.join()
        waiter.join()
    }

    @Test func aWaiterOvertakenPastTheBoundIsReportedAsStarvation() throws {
        var plan = ExplorationPlan(strategy: .random, seed: 3, schedules: 500)
        plan.options.maxOvertakes = 3
        let failure = try #require(Explorer.explore(plan, scenario: Self.greedy).failure).failure
        #expect(failure.kind == .starvation)
        #expect(failure.message.contains("waiter waits for L and was overtaken 4 times"))
    }

    @Test func withoutABoundTheSameProgramPasses() {
        let result = Explorer.explore(ExplorationPlan(strategy: .random, seed: 3, schedules: 500), scenario: Self.greedy)
        #expect(result.failure == nil)
    }
}

@Suite struct StoreBufferSynchronizationTests {
    /// Spawn and join synchronize under TSO: a joiner always sees the joined thread's stores, and
    /// a child its parent's.
    @Test func spawnAndJoinDrainStoreBuffers() {
        var plan = ExplorationPlan(strategy: .random, seed: 4, schedules: 500)
        plan.options.memoryModel = .totalStoreOrder
        let result = Explorer.explore(plan) {
            let before = Shared(0, name: "before")
            let after = Shared(0, name: "after")
            before.store(1)
            let child = Runtime.spawn(name: "child") {
                require(before.load() == 1, "the child must see what its parent stored before spawning it")
                after.store(2)
            }
            child.join()
            let seen = after.load()
            require(seen == 2, "the joiner must see what the joined thread stored, saw \(seen)")
        }
        #expect(result.failure == nil, "\(result.failure.map { "\($0.failure)" } ?? "")")
    }
}
