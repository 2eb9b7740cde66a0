import Foundation
import Testing
import TurnstileRuntime

/// Bounded native stress: real threads, real locks. `TURNSTILE_LONG_TESTS=1` for more rounds.
@Suite(.serialized)
struct NativeEngineTests {
    static let rounds = ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] == "1" ? 200_000 : 20_000

    @Test func lockGivesMutualExclusionOnRealThreads() {
        let lock = Lock()
        let counter = Shared(0)
        let threads = (0..<4).map { _ in
            Runtime.spawn {
                for _ in 0..<Self.rounds {
                    lock.withLock { counter.store(counter.load() + 1) }
                }
            }
        }
        threads.forEach { $0.join() }
        #expect(counter.load() == 4 * Self.rounds)
    }

    @Test func atomicFetchAddNeverLosesAnIncrement() {
        let counter = AtomicInt(0)
        let threads = (0..<4).map { _ in Runtime.spawn { for _ in 0..<Self.rounds { counter.fetchAdd(1, ordering: .relaxed) } } }
        threads.forEach { $0.join() }
        #expect(counter.load() == 4 * Self.rounds)
    }

    @Test func conditionHandsOffEveryItem() {
        let lock = Lock()
        let changed = Condition(lock: lock)
        let slot = Shared<Int?>(nil)
        let received = Shared(0)
        let consumer = Runtime.spawn {
            for _ in 0..<1_000 {
                lock.lock()
                while slot.load() == nil { changed.wait() }
                received.store(received.load() + slot.load()!)
                slot.store(nil)
                changed.broadcast()
                lock.unlock()
            }
        }
        for item in 1...1_000 {
            lock.lock()
            while slot.load() != nil { changed.wait() }
            slot.store(item)
            changed.broadcast()
            lock.unlock()
        }
        consumer.join()
        #expect(received.load() == 500_500)
    }

    @Test func spawnedThreadsHaveDistinctIdentities() {
        let ids = (0..<8).map { _ in AtomicInt(-1) }
        let threads = (0..<8).map { index in Runtime.spawn { ids[index].store(Runtime.currentThreadID) } }
        threads.forEach { $0.join() }
        let seen = Set(ids.map { $0.load() })
        #expect(seen.count == 8)
        #expect(!seen.contains(0))
        #expect(!Runtime.isControlled)
        // A thread the runtime did not start gets its own identity on first use, and keeps it.
        let caller = Runtime.currentThreadID
        #expect(caller != 0 && !seen.contains(caller))
        #expect(Runtime.currentThreadID == caller)
    }
}
