import CheckKit
import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// Counting (barging and FIFO) and binary semaphores under the controlled engine.
@Suite(.serialized)
struct SemaphoreTests {
    @Test(arguments: [CountingSemaphore.Fairness.barging, .fifo])
    func neverAdmitsMoreThanItsPermits(_ fairness: CountingSemaphore.Fairness) {
        let result = Explorer.explore(plan()) {
            let semaphore = CountingSemaphore(value: 2, fairness: fairness)
            let occupancy = Occupancy(limit: 2)
            let handles = (0..<4).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<2 {
                        semaphore.wait()
                        occupancy.criticalSection("t\(id)")
                        semaphore.signal()
                    }
                }
            }
            handles.forEach { $0.join() }
            require(semaphore.value == 2, "permits leaked: \(semaphore.value) left of 2")
        }
        expectPasses(result)
    }

    /// Queues `waiters` threads one after another (each seen waiting before the next starts),
    /// then lets a late thread arrive while the permits are being signalled. Returns the order
    /// in which threads got their permit.
    static func arrivalOrderScenario(_ fairness: CountingSemaphore.Fairness, waiters: Int = 3) -> () -> Void {
        {
            let semaphore = CountingSemaphore(value: 0, fairness: fairness)
            let order = ControlledBox<[String]>([])
            var handles: [ThreadHandle] = []
            for id in 0..<waiters {
                handles.append(Runtime.spawn(name: "w\(id)") {
                    semaphore.wait()
                    order.value.append("w\(id)")
                })
                while semaphore.waitingCount < id + 1 { Runtime.yield() }
            }
            handles.append(Runtime.spawn(name: "late") {
                semaphore.wait()
                order.value.append("late")
            })
            // One permit at a time: the next goes out only once the previous taker has run.
            for released in 1...waiters + 1 {
                semaphore.signal()
                while order.value.count < released { Runtime.yield() }
            }
            handles.forEach { $0.join() }
            let expected = (0..<waiters).map { "w\($0)" } + ["late"]
            require(order.value == expected, "permits went out in the order \(order.value), not arrival order \(expected)")
        }
    }

    @Test func fifoSemaphoreHandsPermitsOutInArrivalOrder() {
        let result = Explorer.explore(plan()) { Self.arrivalOrderScenario(.fifo)() }
        expectPasses(result)
    }

    @Test func bargingSemaphoreLetsALateArrivalOvertake() throws {
        // The documented price of barging, exhibited by the same check.
        let result = Explorer.explore(plan()) { Self.arrivalOrderScenario(.barging)() }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("not arrival order"))
    }

    @Test(arguments: [CountingSemaphore.Fairness.barging, .fifo])
    func signalHappensBeforeTheMatchingWaitEvenWithStoreBuffers(_ fairness: CountingSemaphore.Fairness) {
        let result = Explorer.explore(plan(500, memoryModel: .totalStoreOrder)) {
            let ready = CountingSemaphore(value: 0, fairness: fairness)
            let message = Shared(0, name: "message")
            let consumer = Runtime.spawn(name: "consumer") {
                ready.wait()
                require(message.load() == 42, "the waiter did not see the write made before signal")
            }
            message.store(42)
            ready.signal()
            consumer.join()
        }
        expectPasses(result)
    }

    @Test(arguments: [CountingSemaphore.Fairness.barging, .fifo])
    func aWaitNobodySignalsIsReportedAsDeadlock(_ fairness: CountingSemaphore.Fairness) throws {
        let result = Explorer.explore(plan(100)) {
            let semaphore = CountingSemaphore(value: 1, fairness: fairness)
            let handles = (0..<2).map { id in
                Runtime.spawn(name: "t\(id)") { semaphore.wait() }  // broken: never signals
            }
            handles.forEach { $0.join() }
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock, "\(failure)")
    }

    @Test func tryWaitTakesOnlyAvailablePermits() {
        let result = Explorer.explore(plan(50)) {
            let semaphore = CountingSemaphore(value: 1)
            require(semaphore.tryWait(), "tryWait failed with a permit available")
            require(!semaphore.tryWait(), "tryWait succeeded with no permit")
            semaphore.signal()
            require(semaphore.value == 1, "signal did not return the permit")
        }
        expectPasses(result)
    }

    @Test func binarySemaphoreNeverHoldsMoreThanOnePermit() {
        let result = Explorer.explore(plan(50)) {
            let semaphore = BinarySemaphore(available: false)
            require(semaphore.signal(), "the first signal was absorbed")
            require(!semaphore.signal(), "a second signal was counted")
            require(semaphore.tryWait(), "the permit was not there")
            require(!semaphore.tryWait(), "a second permit was there")
        }
        expectPasses(result)
    }

    @Test func binarySemaphoreIsMutuallyExclusiveAsALock() {
        let result = Explorer.explore(plan()) {
            let semaphore = BinarySemaphore(available: true)
            let occupancy = Occupancy()
            let handles = (0..<3).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<2 {
                        semaphore.wait()
                        occupancy.criticalSection("t\(id)")
                        semaphore.signal()
                    }
                }
            }
            handles.forEach { $0.join() }
        }
        expectPasses(result)
    }

    @Test func countingWithABinarySemaphoreLosesASignal() throws {
        // A broken use: two events signalled before anyone waits; a binary semaphore keeps one.
        let result = Explorer.explore(plan(200)) {
            let events = BinarySemaphore(available: false)
            events.signal()
            events.signal()
            let waiters = (0..<2).map { id in Runtime.spawn(name: "w\(id)") { events.wait() } }
            waiters.forEach { $0.join() }
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .deadlock)
    }
}
