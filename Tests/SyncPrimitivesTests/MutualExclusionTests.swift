import CheckKit
import Testing
import TurnstileRuntime

@testable import SyncPrimitives

/// The software locks and spin locks under the controlled engine: mutual exclusion, no
/// deadlock, and the stated fairness (first-come-first-served where claimed, counted).
@Suite(.serialized)
struct MutualExclusionTests {
    /// `threads` threads enter `rounds` times each through an indexed lock; mutual exclusion is
    /// required, and late overtakes are counted against `bound` (nil: not checked).
    static func indexedScenario(
        threads: Int, rounds: Int, bound: Int?, sameIndexFor: Set<Int> = [],
        make: @escaping (DoorwayProbe) -> any IndexedMutualExclusionLock
    ) -> () -> Void {
        {
            let occupancy = Occupancy()
            let overtakes = OvertakeCounter()
            let (started, finished) = overtakes.probe
            let lock = make(DoorwayProbe(started: started, finished: finished))
            let handles = (0..<threads).map { id in
                // A broken use: the threads in `sameIndexFor` all claim index 0.
                let index = sameIndexFor.contains(id) ? 0 : id
                return Runtime.spawn(name: "t\(id)") {
                    for _ in 0..<rounds {
                        lock.lock(as: index, file: #fileID, line: #line)
                        overtakes.entered(index)
                        if let bound {
                            require(overtakes.worst <= bound, "a waiting thread was overtaken \(overtakes.worst) times by later arrivals (bound \(bound))")
                        }
                        occupancy.criticalSection("t\(id)")
                        lock.unlock(as: index, file: #fileID, line: #line)
                    }
                }
            }
            handles.forEach { $0.join() }
            require(occupancy.entries == threads * rounds, "entries lost: \(occupancy.entries)")
        }
    }

    @Test func petersonIsMutuallyExclusiveAndFirstComeFirstServed() {
        let result = Explorer.explore(plan(600)) {
            Self.indexedScenario(threads: 2, rounds: 3, bound: 0) { PetersonLock(probe: $0) }()
        }
        expectPasses(result)
    }

    @Test func petersonStaysCorrectUnderStoreBuffers() {
        let result = Explorer.explore(plan(600, memoryModel: .totalStoreOrder)) {
            Self.indexedScenario(threads: 2, rounds: 2, bound: 0) { PetersonLock(probe: $0) }()
        }
        expectPasses(result)
    }

    @Test func petersonSharedIndexIsCaughtAsAViolation() throws {
        let result = Explorer.explore(plan(600)) {
            Self.indexedScenario(threads: 2, rounds: 2, bound: nil, sameIndexFor: [0, 1]) { PetersonLock(probe: $0) }()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .assertion)
        #expect(failure.message.contains("threads inside"))
    }

    @Test func petersonRejectsAThirdThreadIndex() throws {
        let result = Explorer.explore(plan(5)) {
            PetersonLock().lock(as: 2)
        }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("thread index 2"))
    }

    @Test func filterLockIsMutuallyExclusiveAndStarvationFree() {
        let result = Explorer.explore(plan(300)) {
            Self.indexedScenario(threads: 3, rounds: 2, bound: nil) { FilterLock(threads: 3, probe: $0) }()
        }
        expectPasses(result)
    }

    @Test func filterLockIsNotFirstComeFirstServed() throws {
        // The documented weakness, exhibited: some schedule lets a later thread overtake a
        // thread that had already passed its doorway.
        let result = Explorer.explore(plan(2_000)) {
            Self.indexedScenario(threads: 3, rounds: 2, bound: 0) { FilterLock(threads: 3, probe: $0) }()
        }
        let failure = try #require(result.failure, "no overtake found").failure
        #expect(failure.message.contains("overtaken"))
    }

    @Test func bakeryLockIsMutuallyExclusiveAndFirstComeFirstServed() {
        let result = Explorer.explore(plan(300)) {
            Self.indexedScenario(threads: 3, rounds: 2, bound: 0) { BakeryLock(threads: 3, probe: $0) }()
        }
        expectPasses(result)
    }

    @Test func bakeryAndFilterStayCorrectUnderStoreBuffers() {
        for make in [{ BakeryLock(threads: 3, probe: $0) } as (DoorwayProbe) -> any IndexedMutualExclusionLock,
                     { FilterLock(threads: 3, probe: $0) }] {
            let result = Explorer.explore(plan(200, memoryModel: .totalStoreOrder)) {
                Self.indexedScenario(threads: 3, rounds: 1, bound: nil, make: make)()
            }
            expectPasses(result)
        }
    }

    @Test func bakerySharedIndexIsCaughtAsAViolation() throws {
        let result = Explorer.explore(plan(1_000)) {
            Self.indexedScenario(threads: 3, rounds: 1, bound: nil, sameIndexFor: [0, 2]) { BakeryLock(threads: 3, probe: $0) }()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.kind == .assertion)
    }
}
