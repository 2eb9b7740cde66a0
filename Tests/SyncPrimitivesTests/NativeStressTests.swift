import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// Bounded stress on real threads (the only place hardware reordering can show). Counts are
/// small by default; `TURNSTILE_LONG_TESTS=1` multiplies them by 20.
@Suite(.serialized)
struct NativeStressTests {
    static let rounds = longMode ? 100_000 : 5_000

    /// `threads` threads each increment a plain counter `rounds` times inside `section`.
    static func hammer(threads: Int, rounds: Int = rounds, _ section: @escaping @Sendable (Int, () -> Void) -> Void) -> Int {
        let counter = Shared(0)
        let inside = AtomicInt(0)
        let overlaps = AtomicInt(0)
        let handles = (0..<threads).map { index in
            Runtime.spawn {
                for _ in 0..<rounds {
                    section(index) {
                        if inside.fetchAdd(1) != 0 { overlaps.fetchAdd(1) }
                        counter.store(counter.load() + 1)
                        inside.fetchAdd(-1)
                    }
                }
            }
        }
        handles.forEach { $0.join() }
        #expect(overlaps.load() == 0, "threads overlapped in the critical section")
        return counter.load()
    }

    @Test func indexedLocksExcludeOnRealThreads() {
        let peterson = PetersonLock()
        #expect(Self.hammer(threads: 2) { index, body in peterson.withLock(as: index, body) } == 2 * Self.rounds)
        let filter = FilterLock(threads: 3)
        #expect(Self.hammer(threads: 3, rounds: Self.rounds / 5) { index, body in filter.withLock(as: index, body) } == 3 * (Self.rounds / 5))
        let bakery = BakeryLock(threads: 3)
        #expect(Self.hammer(threads: 3, rounds: Self.rounds / 5) { index, body in bakery.withLock(as: index, body) } == 3 * (Self.rounds / 5))
    }

    @Test func spinLocksExcludeOnRealThreads() {
        for lock in [TestAndSetLock(), TestAndTestAndSetLock(), TicketLock()] as [any MutualExclusionLock] {
            #expect(Self.hammer(threads: 3) { _, body in lock.withLock(body) } == 3 * Self.rounds)
        }
    }

    @Test func mutexAndSemaphoresExcludeOnRealThreads() {
        let mutex = OwnedMutex()
        #expect(Self.hammer(threads: 4) { _, body in try! mutex.withLock(body) } == 4 * Self.rounds)
        for fairness in [CountingSemaphore.Fairness.barging, .fifo] {
            let semaphore = CountingSemaphore(value: 1, fairness: fairness)
            #expect(Self.hammer(threads: 4) { _, body in
                semaphore.wait()
                body()
                semaphore.signal()
            } == 4 * Self.rounds)
            #expect(semaphore.value == 1)
        }
        let binary = BinarySemaphore(available: true)
        #expect(Self.hammer(threads: 3) { _, body in
            binary.wait()
            body()
            binary.signal()
        } == 3 * Self.rounds)
        let monitor = Monitor(())
        #expect(Self.hammer(threads: 3) { _, body in monitor.withMonitor { _ in body() } } == 3 * Self.rounds)
    }

    @Test func semaphorePingPongHandsOffEveryTurn() {
        let ping = CountingSemaphore(value: 0)
        let pong = CountingSemaphore(value: 0)
        let turns = Self.rounds
        let echo = Runtime.spawn {
            for _ in 0..<turns {
                ping.wait()
                pong.signal()
            }
        }
        for _ in 0..<turns {
            ping.signal()
            pong.wait()
        }
        echo.join()
        #expect(ping.value == 0 && pong.value == 0)
    }

    @Test func barrierRoundsStayInStepOnRealThreads() {
        let parties = 3
        let rounds = Self.rounds / 10
        let barrier = Barrier(parties: parties)
        let arrivals = AtomicInt(0)
        let early = AtomicInt(0)
        let handles = (0..<parties).map { _ in
            Runtime.spawn {
                for round in 0..<rounds {
                    arrivals.fetchAdd(1)
                    barrier.arriveAndWait()
                    if arrivals.load() < (round + 1) * parties { early.fetchAdd(1) }
                    barrier.arriveAndWait()
                }
            }
        }
        handles.forEach { $0.join() }
        #expect(early.load() == 0)
        #expect(barrier.completedRounds == 2 * rounds)
    }
}
