import CheckKit
import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// Monitors (Mesa semantics, signal and broadcast) and the reusable barrier.
@Suite(.serialized)
struct MonitorAndBarrierTests {
    /// An account: withdrawals wait for funds. With `ifNotWhile` the withdrawal uses a single
    /// raw `wait` under `if`, which Mesa semantics (and spurious wakeups) break.
    static func accountScenario(ifNotWhile: Bool, useSignal: Bool) -> () -> Void {
        {
            let account = Monitor(0, name: "account")
            let funded = account.makeCondition(name: "funded")
            let withdrawers = (0..<2).map { id in
                Runtime.spawn(name: "withdraw-\(id)") {
                    account.withMonitor { scope in
                        if ifNotWhile {
                            if scope.state < 10 { scope.wait(funded) }
                        } else {
                            scope.wait(funded, until: { $0 >= 10 })
                        }
                        require(scope.state >= 10, "withdrew 10 from a balance of \(scope.state)")
                        scope.state -= 10
                    }
                }
            }
            for _ in 0..<2 {
                account.withMonitor { scope in
                    scope.state += 10
                    if useSignal { scope.signal(funded) } else { scope.broadcast(funded) }
                }
            }
            withdrawers.forEach { $0.join() }
            account.withMonitor { scope in require(scope.state == 0, "balance \(scope.state) at the end") }
        }
    }

    @Test(arguments: [false, true])
    func monitorWaitLoopIsCorrectWithSignalOrBroadcast(_ useSignal: Bool) {
        let result = Explorer.explore(plan()) { Self.accountScenario(ifNotWhile: false, useSignal: useSignal)() }
        expectPasses(result)
    }

    @Test func waitingUnderIfInsteadOfWhileIsCaught() throws {
        let result = Explorer.explore(plan()) { Self.accountScenario(ifNotWhile: true, useSignal: false)() }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("withdrew 10"))
    }

    @Test func monitorStateIsMutuallyExclusive() {
        let result = Explorer.explore(plan()) {
            let counter = Monitor(0)
            let occupancy = Occupancy()
            let handles = (0..<3).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<2 {
                        counter.withMonitor { scope in
                            occupancy.criticalSection("t\(id)")
                            scope.state += 1
                        }
                    }
                }
            }
            handles.forEach { $0.join() }
            require(counter.withMonitor { $0.state } == 6, "lost increments")
        }
        expectPasses(result)
    }

    @Test func barrierHoldsEveryoneUntilTheRoundIsComplete() {
        let result = Explorer.explore(plan()) {
            let parties = 3
            let rounds = 3
            let barrier = Barrier(parties: parties)
            let arrivals = ControlledBox([Int](repeating: 0, count: rounds))
            let lastOnes = ControlledBox([Int](repeating: 0, count: rounds))
            let handles = (0..<parties).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for round in 0..<rounds {
                        arrivals.value[round] += 1
                        if barrier.arriveAndWait() { lastOnes.value[round] += 1 }
                        require(arrivals.value[round] == parties, "t\(id) left round \(round) after only \(arrivals.value[round]) of \(parties) arrivals")
                    }
                }
            }
            handles.forEach { $0.join() }
            require(lastOnes.value == [1, 1, 1], "last-arrival flags per round: \(lastOnes.value)")
            require(barrier.completedRounds == rounds, "completed \(barrier.completedRounds) rounds")
        }
        expectPasses(result)
    }

    @Test func barrierWithAMissingPartyIsReportedAsDeadlock() throws {
        let result = Explorer.explore(plan(50)) {
            let barrier = Barrier(parties: 3)
            let handles = (0..<2).map { id in Runtime.spawn(name: "t\(id)") { barrier.arriveAndWait() } }
            handles.forEach { $0.join() }
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock)
        #expect(failure.message.contains("condition"))
    }
}
