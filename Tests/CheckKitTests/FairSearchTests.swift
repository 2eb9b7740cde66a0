import CheckKit
import Testing
import TurnstileRuntime

/// The bounded exhaustive search treats a yield as CHESS's fair scheduler does, and a lock
/// waiter is enabled only when the lock is free, so small searches complete.
@Suite struct FairSearchTests {
    /// A seat counter with compare-exchange and `Runtime.yield()` while full: correct, and
    /// formerly reported as a livelock because the search kept running the yielding thread.
    static func seatCounter(seats: Int, guests: Int) -> Scenario {
        Scenario(run: {
            let taken = AtomicInt(0, name: "taken")
            let inside = ControlledBox(0)
            let handles = (0..<guests).map { guest in
                Runtime.spawn(name: "guest-\(guest)") {
                    while true {
                        let now = taken.load()
                        if now < seats, taken.compareExchange(expected: now, desired: now + 1).exchanged { break }
                        Runtime.yield()
                    }
                    inside.value += 1
                    require(inside.value <= seats, "\(inside.value) guests on \(seats) seats")
                    inside.value -= 1
                    taken.fetchAdd(-1)
                }
            }
            for handle in handles { handle.join() }
        })
    }

    @Test func aCorrectSpinWithYieldIsNotALivelockAndTheSearchCompletes() {
        let plan = ExplorationPlan(strategy: .exhaustive(preemptions: 2), seed: 1, schedules: 100_000)
        let result = Explorer.exploreScenarios(plan, makeScenario: { Self.seatCounter(seats: 1, guests: 2) })
        #expect(result.failure == nil, "\(result.failure?.failure.description ?? "")")
        #expect(result.exhausted, "every schedule within the bound ran: \(result.schedules)")
    }

    @Test func aSpinWithYieldThatNeverSeesItsConditionIsStillALivelock() throws {
        let plan = ExplorationPlan(strategy: .exhaustive(preemptions: 2), seed: 1, schedules: 1_000)
        let result = Explorer.explore(plan) {
            let flag = AtomicBool(false, name: "flag")
            Runtime.spawn(name: "waiter") { while !flag.load() { Runtime.yield() } }
        }
        let failure = try #require(result.failure)
        #expect(failure.failure.kind == .livelock)
    }

    @Test func aLockWaiterNeverBlocksTwiceForOneAcquire() {
        // Three threads take one lock once each: in every schedule tried, each thread records at
        // most one `blocked` step (a waiter is picked only when it can take the lock).
        var worst = 0
        for seed in 0..<300 as Range<UInt64> {
            let report = Explorer.replay(ExplorationPlan(strategy: .random, seed: seed), executionSeed: seed) {
                let lock = Lock(name: "l")
                let handles = (0..<3).map { i in Runtime.spawn(name: "t\(i)") { lock.lock(); lock.unlock() } }
                for handle in handles { handle.join() }
            }
            #expect(report.failure == nil)
            for thread in 1...3 {
                worst = max(worst, report.trace.filter { $0.thread == thread && $0.operation == .blocked }.count)
            }
        }
        #expect(worst == 1, "a waiter blocked \(worst) times for one acquire (and some schedule must make one wait)")
    }
}
