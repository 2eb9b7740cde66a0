import ClassicProblems
import Testing
import TurnstileRuntime

/// Bounded stress on real threads; `TURNSTILE_LONG_TESTS=1` runs 20 times more.
@Suite(.serialized)
struct NativeStressTests {
    static let items = longMode ? 200_000 : 10_000

    @Test(arguments: [1, 3])
    func buffersDeliverEveryItemOnRealThreads(_ pairs: Int) {
        let forms: [any BoundedBuffer<Int>] = [SemaphoreBoundedBuffer<Int>(capacity: 8), MonitorBoundedBuffer<Int>(capacity: 8)]
        for buffer in forms {
            let perProducer = Self.items / pairs
            let sum = AtomicInt(0)
            let count = AtomicInt(0)
            var handles: [ThreadHandle] = []
            for p in 0..<pairs {
                handles.append(Runtime.spawn {
                    for i in 1...perProducer { buffer.put(p * 1_000_000 + i, file: #fileID, line: #line) }
                })
                handles.append(Runtime.spawn {
                    for _ in 0..<perProducer {
                        sum.fetchAdd(buffer.take(file: #fileID, line: #line), ordering: .relaxed)
                        count.fetchAdd(1, ordering: .relaxed)
                    }
                })
            }
            handles.forEach { $0.join() }
            let expected = (0..<pairs).reduce(0) { $0 + $1 * 1_000_000 * perProducer + perProducer * (perProducer + 1) / 2 }
            #expect(count.load() == pairs * perProducer)
            #expect(sum.load() == expected)
        }
    }

    @Test(arguments: ReadersWritersPolicy.allCases)
    func readersWritersLockExcludesOnRealThreads(_ policy: ReadersWritersPolicy) {
        let lock = ReadersWritersLock(policy: policy)
        let state = AtomicInt(0)  // readers inside, or -1 for a writer
        let violations = AtomicInt(0)
        let writes = Shared(0)
        let handles = (0..<4).map { id in
            Runtime.spawn {
                for round in 0..<(Self.items / 10) {
                    if (round + id) % 10 == 0 {
                        lock.withWriteLock {
                            if state.exchange(-1) != 0 { violations.fetchAdd(1) }
                            writes.store(writes.load() + 1)
                            state.store(0)
                        }
                    } else {
                        lock.withReadLock {
                            if state.fetchAdd(1) < 0 { violations.fetchAdd(1) }
                            state.fetchAdd(-1)
                        }
                    }
                }
            }
        }
        handles.forEach { $0.join() }
        #expect(violations.load() == 0)
        #expect(writes.load() == 4 * (Self.items / 10) / 10)
    }

    @Test(arguments: DiningSolution.allCases)
    func everyPhilosopherEatsOnRealThreads(_ solution: DiningSolution) {
        let meals = longMode ? 5_000 : 300
        let report = DiningSimulation.run(solution.makeTable(seats: 5), until: .afterMeals(meals), thinkWork: 50, eatWork: 20)
        #expect(report.meals == Array(repeating: meals, count: 5), "\(report)")
        #expect(report.longestHungerInOthersMeals.allSatisfy { $0 >= 0 })
    }
}
