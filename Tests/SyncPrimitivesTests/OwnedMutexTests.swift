import CheckKit
import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// The owner-aware mutex: mutual exclusion under contention, and every ownership misuse
/// reported as an error.
@Suite(.serialized)
struct OwnedMutexTests {
    @Test func mutualExclusionUnderContentionWithoutDeadlock() {
        let result = Explorer.explore(plan()) {
            let mutex = OwnedMutex()
            let occupancy = Occupancy()
            let handles = (0..<3).map { id in
                Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<2 {
                        do {
                            try mutex.withLock { occupancy.criticalSection("t\(id)") }
                        } catch {
                            require(false, "unexpected \(error)")
                        }
                    }
                }
            }
            handles.forEach { $0.join() }
            require(!mutex.isLocked, "the mutex is still held at the end")
            require(occupancy.entries == 6, "lost entries")
        }
        expectPasses(result)
    }

    @Test func sleepersAreWokenWhenContended() {
        // PCT tends to preempt inside critical sections, so threads really sleep.
        let result = Explorer.explore(plan(500, strategy: .pct(depth: 3, steps: 150))) {
            let mutex = OwnedMutex()
            let occupancy = Occupancy()
            let handles = (0..<3).map { id in
                Runtime.spawn(name: "t\(id)") {
                    try? mutex.lock()
                    occupancy.criticalSection("t\(id)")
                    Runtime.yield()
                    try? mutex.unlock()
                }
            }
            handles.forEach { $0.join() }
        }
        expectPasses(result)
    }

    @Test func unlockByANonOwnerThrowsAndLeavesTheMutexHeld() {
        let result = Explorer.explore(plan(200)) {
            let mutex = OwnedMutex()
            try? mutex.lock()
            let intruder = Runtime.spawn(name: "intruder") {
                let me = Runtime.currentThreadID
                do throws(MutexOwnershipError) {
                    try mutex.unlock()
                    require(false, "a non-owner unlocked the mutex")
                } catch {
                    require(error == .notOwner(caller: me), "wrong error \(error)")
                }
                require(mutex.isLocked, "the mutex was released by a refused unlock")
                require(!mutex.isHeldByCurrentThread, "the intruder thinks it holds the mutex")
            }
            intruder.join()
            require(mutex.isHeldByCurrentThread, "the owner lost the mutex")
            try? mutex.unlock()
        }
        expectPasses(result)
    }

    @Test func unlockByANonOwnerIsCaughtWhileOthersSleep() {
        // The refusal must not disturb sleepers: the owner still hands over correctly.
        let result = Explorer.explore(plan(500)) {
            let mutex = OwnedMutex()
            try? mutex.lock()
            let sleeper = Runtime.spawn(name: "sleeper") {
                try? mutex.lock()
                try? mutex.unlock()
            }
            let intruder = Runtime.spawn(name: "intruder") {
                require((try? mutex.unlock()) == nil, "a non-owner unlocked the mutex")
            }
            intruder.join()
            Runtime.yield()
            try? mutex.unlock()
            sleeper.join()
        }
        expectPasses(result)
    }

    @Test func unlockingAFreeMutexAndRelockingAreErrors() throws {
        let mutex = OwnedMutex()
        #expect(throws: MutexOwnershipError.notLocked(caller: Runtime.currentThreadID)) { try mutex.unlock() }
        try mutex.lock()
        #expect(throws: MutexOwnershipError.alreadyOwned(caller: Runtime.currentThreadID)) { try mutex.lock() }
        #expect(!mutex.tryLock())
        try mutex.unlock()
        #expect(!mutex.isLocked)
        #expect(mutex.tryLock())
        try mutex.unlock()
        #expect(MutexOwnershipError.notOwner(caller: 1).description.contains("only the thread that locked"))
    }

    @Test func releasingInsideWithLockIsReported() throws {
        let result = Explorer.explore(plan(20)) {
            let mutex = OwnedMutex()
            try? mutex.withLock { try? mutex.unlock() }
        }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("released the mutex itself"))
    }

    @Test func nativeUnlockFromAnotherThreadThrows() throws {
        let mutex = OwnedMutex()
        try mutex.lock()
        let refused = AtomicBool(false)
        Runtime.spawn {
            do { try mutex.unlock() } catch { refused.store(true) }
        }.join()
        #expect(refused.load())
        #expect(mutex.isHeldByCurrentThread)
        try mutex.unlock()
    }
}
