import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks of the semaphores-monitors assignment, the XCTest way. Controlled checks
/// use fixed seeds, so a regrade gives the same result. Where a check needs to know that a
/// thread is *waiting* (asleep in `wait()`, not merely about to call it), it waits for
/// quiescence: the engine's own record that every other thread is blocked or finished.
final class HiddenSemaphoreChecks: SemaphoreChecks {
    /// An operation on a semaphore, as a linearizability history records it.
    enum SemaphoreOperation: CustomStringConvertible, Sendable {
        case wait
        case signal
        var description: String {
            switch self {
            case .wait: "wait()"
            case .signal: "signal()"
            }
        }
    }

    /// A semaphore one operation at a time: `wait` is possible only with a permit.
    static let semaphore = SequentialSpecification<Int, SemaphoreOperation, Int>(initial: 1) { permits, operation in
        switch operation {
        case .wait: permits > 0 ? (permits - 1, 0) : nil
        case .signal: (permits + 1, 0)
        }
    }

    /// Three threads' waits and signals, checked against one order of a semaphore starting at 1.
    func linearizable() {
        let history = History<SemaphoreOperation, Int>()
        let semaphore = Submission.makeSemaphore(value: 1)
        let scripts: [[SemaphoreOperation]] = [[.wait, .signal, .wait, .signal], [.wait, .signal], [.signal, .wait]]
        let threads = scripts.enumerated().map { index, script in
            Runtime.spawn(name: "t\(index)") {
                for operation in script {
                    history.call(operation) {
                        switch operation {
                        case .wait: semaphore.wait()
                        case .signal: semaphore.signal()
                        }
                        return 0
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        atEnd { _ in
            if let violation = LinearizabilityChecker.check(history.entries, against: Self.semaphore) {
                CheckFail("no order of these operations is a semaphore's: \(violation.description)")
            }
        }
    }

    /// A signal that comes before anyone waits is kept for the later wait.
    func noLostSignal() {
        let semaphore = Submission.makeSemaphore(value: 0)
        Runtime.spawn(name: "signaller") { semaphore.signal() }.join()
        let waiter = Runtime.spawn(name: "waiter") { semaphore.wait() }
        waiter.join()
        // And once more with the two racing.
        let racing = Submission.makeSemaphore(value: 0)
        let late = Runtime.spawn(name: "late-waiter") { racing.wait() }
        let early = Runtime.spawn(name: "early-signaller") { racing.signal() }
        late.join()
        early.join()
    }

    /// Four threads, twice each, pass `enter` and `leave`: never more than two between them.
    func neverMoreThanTwoInside(
        enter: @escaping @Sendable () -> Void, leave: @escaping @Sendable () -> Void,
        tooMany: @escaping @Sendable (Int) -> String
    ) {
        let inside = ControlledBox(0)
        let threads = (0..<4).map { t in
            Runtime.spawn(name: "t\(t)") {
                for _ in 0..<2 {
                    enter()
                    inside.value += 1
                    CheckAssert(inside.value <= 2, tooMany(inside.value))
                    Runtime.yield()
                    inside.value -= 1
                    leave()
                }
            }
        }
        for thread in threads { thread.join() }
    }

    /// Two permits, four threads, twice each: never more than two inside.
    func neverNegative() {
        let semaphore = Submission.makeSemaphore(value: 2)
        neverMoreThanTwoInside(enter: semaphore.wait, leave: semaphore.signal) {
            "\($0) threads hold a permit of a semaphore created with 2: its count went below zero"
        }
    }

    /// A FIFO semaphore serves waiters in arrival order, and a newcomer does not take a permit
    /// signalled for a thread already waiting.
    func fifoOrder() {
        let semaphore = Submission.makeSemaphore(value: 0, fifo: true)
        let served = ControlledBox<[String]>([])
        var threads: [ThreadHandle] = []
        for w in 0..<3 {
            threads.append(Runtime.spawn(name: "waiter-\(w)") {
                semaphore.wait()
                served.value.append("waiter-\(w)")
            })
            awaitQuiescence()
        }
        semaphore.signal()
        threads.append(Runtime.spawn(name: "newcomer") {
            semaphore.wait()
            served.value.append("newcomer")
        })
        awaitQuiescence()
        CheckAssert(served.value == ["waiter-0"], "waiters 0, 1, 2 were asleep in wait() in that order and one signal came, then a newcomer called wait(): expected waiter-0 served, got \(served.value)")
        let order = ["waiter-0", "waiter-1", "waiter-2", "newcomer"]
        for count in 2...4 {
            semaphore.signal()
            awaitQuiescence()
            CheckAssert(served.value == Array(order.prefix(count)), "after \(count) signals expected \(Array(order.prefix(count))) served (arrival order), got \(served.value)")
        }
        for thread in threads { thread.join() }
    }

    /// Three threads, three rounds: in every round nobody leaves before all arrived.
    func barrierReusable() {
        let barrier = Submission.makeBarrier(parties: 3)
        let arrivals = ControlledBox([0, 0, 0])
        let threads = (0..<3).map { t in
            Runtime.spawn(name: "t\(t)") {
                for round in 0..<3 {
                    arrivals.value[round] += 1
                    barrier.arriveAndWait()
                    CheckAssert(arrivals.value[round] == 3, "t\(t) left round \(round + 1) of the barrier when only \(arrivals.value[round]) of 3 threads had arrived in it (a thread slipped through from the round before, or the barrier is not reusable)")
                }
            }
        }
        for thread in threads { thread.join() }
    }

    /// Limit 2, four threads entering twice each: never more than two inside.
    func multiplexAtMostN() {
        let multiplex = Submission.makeMultiplex(limit: 2)
        neverMoreThanTwoInside(enter: multiplex.enter, leave: multiplex.leave) { "\($0) threads inside a multiplex of limit 2" }
    }

    /// Limit 2: two threads get in together and a third waits until one leaves.
    func multiplexAdmitsN() {
        let multiplex = Submission.makeMultiplex(limit: 2)
        let inside = ControlledBox<[String]>([])
        let gate = CheckGate(name: "hold")
        var threads: [ThreadHandle] = []
        for name in ["first", "second", "third"] {
            threads.append(Runtime.spawn(name: name) {
                multiplex.enter()
                inside.value.append(name)
                gate.pass()
                inside.value.removeAll { $0 == name }
                multiplex.leave()
            })
            awaitQuiescence()
            if name == "second" {
                CheckAssert(inside.value.count == 2, "with limit 2 and two threads calling enter(), \(inside.value.count) got in (\(inside.value)); both must")
            }
        }
        CheckAssert(inside.value.count == 2, "with limit 2, a third thread got in while two were inside (\(inside.value))")
        gate.open()
        for thread in threads { thread.join() }
    }

    /// Four real threads pass a barrier 200 times and share a two-permit semaphore.
    func realThreads() {
        let barrier = Submission.makeBarrier(parties: 4)
        let semaphore = Submission.makeSemaphore(value: 2)
        let inside = AtomicInt(0)
        let tooMany = AtomicInt(0)
        let threads = (0..<4).map { _ in
            Runtime.spawn {
                for _ in 0..<200 {
                    semaphore.wait()
                    if inside.fetchAdd(1, ordering: .relaxed) >= 2 { tooMany.fetchAdd(1, ordering: .relaxed) }
                    inside.fetchAdd(-1, ordering: .relaxed)
                    semaphore.signal()
                    barrier.arriveAndWait()
                }
            }
        }
        for thread in threads { thread.join() }
        CheckAssert(tooMany.load() == 0, "\(tooMany.load()) times a third thread held a permit of a two-permit semaphore")
    }

    override class var checks: [CheckDefinition] {
        let spurious = ExecutionOptions(spuriousWakeups: 2)
        // A thread spinning with `Runtime.yield()` counts as asleep once nothing it reads can
        // change, so a spin-waiting solution is observed the same way as a sleeping one.
        var quiescent = ExecutionOptions()
        quiescent.yieldAwaitsChange = true
        return [
            check(
                "semaphore-linearizable", "every wait and signal of three threads explained by one semaphore order, with spurious wakeups",
                explanation: "each operation must appear to happen at one instant: a wait only when a permit is there, a signal adds one. A wait that returns without a permit (an `if` instead of `while`, a lost update of the count) breaks it.",
                points: 15, property: .linearizability, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 201, schedules: 1_000, options: spurious)),
                HiddenSemaphoreChecks.linearizable),
            check(
                "no-lost-signal", "a signal before anyone waits is kept for the later wait",
                explanation: "signal() must add a permit even when nobody is asleep; otherwise the later wait sleeps for ever (a lost wakeup).",
                points: 10, property: .noLostWakeup, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 202, schedules: 300)),
                HiddenSemaphoreChecks.noLostSignal),
            check(
                "never-negative", "two permits, four threads: never more than two hold one",
                explanation: "checking for a permit and taking it must happen under one lock hold, and a woken thread must check again; else the count goes below zero.",
                points: 10, property: .capacity, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 300), seed: 203, schedules: 1_000)),
                HiddenSemaphoreChecks.neverNegative),
            check(
                "fifo-order", "a FIFO semaphore serves waiters in arrival order; a newcomer does not take a waiter's permit",
                explanation: "with `.fifo` the permit a signal frees belongs to the longest waiter, even if a newly arriving thread gets the lock first.",
                points: 10, property: .fairness, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 204, schedules: 500, options: quiescent)),
                HiddenSemaphoreChecks.fifoOrder),
            check(
                "barrier-reusable", "three threads, three rounds: nobody leaves a round before all arrived",
                explanation: "a barrier must reset for the next round, and a fast thread must not take a permit meant for a slow one of the round before (two turnstiles, or an equivalent).",
                points: 15, property: .rendezvous, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 600), seed: 205, schedules: 1_000)),
                HiddenSemaphoreChecks.barrierReusable),
            check(
                "multiplex-at-most-n", "limit 2, four threads: never more than two inside",
                explanation: "the multiplex admits at most its limit at once.",
                points: 10, property: .capacity, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 300), seed: 206, schedules: 1_000)),
                HiddenSemaphoreChecks.multiplexAtMostN),
            check(
                "multiplex-admits-n", "limit 2: two threads are inside together, a third waits",
                explanation: "a multiplex of limit N is not a mutex: N threads may be inside at once, and the N+1st waits until one leaves.",
                points: 10, property: .blocking, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 207, schedules: 300, options: quiescent)),
                HiddenSemaphoreChecks.multiplexAdmitsN),
            check(
                "native-stress", "four real threads: 200 barrier rounds and a two-permit semaphore",
                explanation: "under real parallelism the barrier must not deadlock and the semaphore must hold its count.",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenSemaphoreChecks.realThreads),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenSemaphoreChecks.checks }
}
