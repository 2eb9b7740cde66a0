import CheckKit
import TurnstileRuntime

/// Peterson's algorithm for two threads, correct and in three broken forms.
enum PetersonCorpus {
    enum Variant { case correct, noTurn, swappedWrites, noFence }

    /// Two threads each enter the critical section `rounds` times through Peterson's lock.
    static func scenario(_ variant: Variant, rounds: Int = 2) -> Scenario {
        Scenario(run: {
            let flags = [AtomicBool(false, name: "flag[0]"), AtomicBool(false, name: "flag[1]")]
            let turn = AtomicInt(0, name: "turn")
            let counter = OccupancyCounter()
            // The no-fence variant uses release stores, which x86 may reorder after later loads.
            let storeOrder: MemoryOrdering = variant == .noFence ? .releasing : .sequentiallyConsistent
            let threads = (0..<2).map { me in
                Runtime.spawn(name: "p\(me)") {
                    let other = 1 - me
                    for _ in 0..<rounds {
                        switch variant {
                        case .swappedWrites:
                            turn.store(other, ordering: storeOrder)
                            flags[me].store(true, ordering: storeOrder)
                        case .noTurn:
                            flags[me].store(true, ordering: storeOrder)
                        case .correct, .noFence:
                            flags[me].store(true, ordering: storeOrder)
                            turn.store(other, ordering: storeOrder)
                        }
                        if variant == .noTurn {
                            while flags[other].load(ordering: .acquiring) { Runtime.spinHint() }
                        } else {
                            while flags[other].load(ordering: .acquiring) && turn.load(ordering: .acquiring) == other {
                                Runtime.spinHint()
                            }
                        }
                        counter.criticalSection("p\(me)")
                        flags[me].store(false, ordering: .releasing)
                    }
                }
            }
            for thread in threads { thread.join() }
        })
    }
}
