import CheckKit
import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// Test-and-set, test-and-test-and-set and ticket locks under the controlled engine.
@Suite(.serialized)
struct SpinLockTests {
    static func scenario(
        threads: Int = 3, rounds: Int = 2, make: @escaping () -> any MutualExclusionLock,
        skipUnlockFor: Int? = nil
    ) -> () -> Void {
        {
            let lock = make()
            let occupancy = Occupancy()
            let handles = (0..<threads).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<rounds {
                        lock.lock(file: #fileID, line: #line)
                        occupancy.criticalSection("t\(id)")
                        // A broken use: one thread forgets to unlock.
                        if skipUnlockFor != id { lock.unlock(file: #fileID, line: #line) }
                    }
                }
            }
            handles.forEach { $0.join() }
        }
    }

    static let locks: [(String, @Sendable () -> any MutualExclusionLock)] = [
        ("tas", { TestAndSetLock() }), ("ttas", { TestAndTestAndSetLock() }), ("ticket", { TicketLock() }),
    ]

    @Test(arguments: [0, 1, 2])
    func spinLockIsMutuallyExclusiveWithoutDeadlock(_ which: Int) {
        let (name, make) = Self.locks[which]
        let result = Explorer.explore(plan()) { Self.scenario(make: make)() }
        expectPasses(result, name)
        let pct = Explorer.explore(plan(500, strategy: .pct(depth: 3, steps: 200))) { Self.scenario(make: make)() }
        expectPasses(pct, name)
    }

    @Test(arguments: [0, 1, 2])
    func forgottenUnlockIsReportedAsNoProgress(_ which: Int) throws {
        let (name, make) = Self.locks[which]
        let result = Explorer.explore(plan(50, maxDecisions: 3_000)) {
            Self.scenario(threads: 2, rounds: 1, make: make, skipUnlockFor: 0)()
        }
        let failure = try #require(result.failure, "\(name)").failure
        #expect(failure.kind == .livelock, "\(name): \(failure)")
    }

    @Test func ticketLockServesInTicketOrder() {
        let result = Explorer.explore(plan()) {
            let overtakes = OvertakeCounter()
            let (started, finished) = overtakes.probe
            let lock = TicketLock(probe: DoorwayProbe(started: started, finished: finished))
            let occupancy = Occupancy()
            let handles = (0..<3).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<2 {
                        lock.lock()
                        overtakes.entered(Runtime.currentThreadID)
                        require(overtakes.worst == 0, "the ticket lock let a later ticket in first")
                        occupancy.criticalSection("t\(id)")
                        lock.unlock()
                    }
                }
            }
            handles.forEach { $0.join() }
        }
        expectPasses(result)
    }

    @Test func tryLockFailsWhileHeldAndSucceedsWhenFree() {
        for (name, make) in Self.locks {
            let result = Explorer.explore(plan(200)) {
                let lock = make()
                require(lock.tryLock(file: #fileID, line: #line), "\(name): tryLock on a free lock failed")
                let other = Runtime.spawn(name: "other") {
                    require(!lock.tryLock(file: #fileID, line: #line), "\(name): tryLock succeeded on a held lock")
                }
                other.join()
                lock.unlock(file: #fileID, line: #line)
                let again = Runtime.spawn(name: "again") {
                    require(lock.tryLock(file: #fileID, line: #line), "\(name): tryLock failed after unlock")
                    lock.unlock(file: #fileID, line: #line)
                }
                again.join()
            }
            expectPasses(result)
        }
    }
}
