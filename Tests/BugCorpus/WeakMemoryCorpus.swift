import CheckKit
import TurnstileRuntime

/// Programs whose bug shows only under a memory model weaker than x86: orderings that are too
/// weak, found under ``ExecutionOptions/MemoryModel/releaseAcquire``.
enum WeakMemoryCorpus {
    /// The orderings of a ticket lock: taking a ticket, waiting for it, passing the lock on.
    struct TicketOrderings {
        var take: MemoryOrdering
        var wait: MemoryOrdering
        var pass: MemoryOrdering
        /// Every ordering relaxed: the next holder need not see what the previous one wrote.
        static let relaxed = TicketOrderings(take: .relaxed, wait: .relaxed, pass: .relaxed)
        /// The least that is correct: the wait acquires what the pass released.
        static let releaseAcquire = TicketOrderings(take: .relaxed, wait: .acquiring, pass: .releasing)
    }

    /// Threads increment a plain shared counter inside a ticket lock, `rounds` times each.
    static func ticketLock(_ orderings: TicketOrderings, threads: Int = 2, rounds: Int = 1) -> Scenario {
        Scenario(run: {
            let next = AtomicInt(0, name: "next ticket")
            let serving = AtomicInt(0, name: "now serving")
            let counter = Shared(0, name: "counter")
            let handles = (0..<threads).map { index in
                Runtime.spawn(name: "t\(index)") {
                    for _ in 0..<rounds {
                        let mine = next.fetchAdd(1, ordering: orderings.take)
                        while serving.load(ordering: orderings.wait) != mine { Runtime.spinHint() }
                        counter.store(counter.load() + 1)
                        serving.store(mine + 1, ordering: orderings.pass)
                    }
                }
            }
            for handle in handles { handle.join() }
            let total = counter.load()
            require(total == threads * rounds, "lost increments inside the lock: \(total) of \(threads * rounds)")
        })
    }

    /// A writer fills `data` and raises `ready`; a reader waits for `ready` and reads `data`.
    static func messagePassing(flag store: MemoryOrdering, load: MemoryOrdering) -> Scenario {
        Scenario(run: {
            let data = Shared(0, name: "data")
            let ready = AtomicBool(false, name: "ready")
            let writer = Runtime.spawn(name: "writer") {
                data.store(42)
                ready.store(true, ordering: store)
            }
            let reader = Runtime.spawn(name: "reader") {
                while !ready.load(ordering: load) { Runtime.spinHint() }
                let value = data.load()
                require(value == 42, "the reader saw ready but read data \(value), not 42")
            }
            writer.join()
            reader.join()
        })
    }
}
