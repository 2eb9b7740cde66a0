import CheckKit
import TurnstileRuntime

/// Semaphore, dining-philosopher and readers-writers mistakes.
enum ProblemCorpus {
    /// A counting semaphore built on an atomic: `checkThenAct` tests and decrements in two
    /// steps, the correct one with compare-and-exchange. Two threads, one permit.
    static func semaphore(checkThenAct: Bool) -> Scenario {
        Scenario(run: {
            let permits = AtomicInt(1, name: "permits")
            let counter = OccupancyCounter()
            let threads = (0..<2).map { id in
                Runtime.spawn(name: "t\(id)") {
                    if checkThenAct {
                        while permits.load() <= 0 { Runtime.spinHint() }
                        permits.store(permits.load() - 1)
                    } else {
                        while true {
                            let seen = permits.load()
                            if seen > 0, permits.compareExchange(expected: seen, desired: seen - 1).exchanged { break }
                            Runtime.spinHint()
                        }
                    }
                    counter.criticalSection("t\(id)")
                    permits.fetchAdd(1)
                }
            }
            for thread in threads { thread.join() }
        })
    }

    /// Three philosophers; all pick up the left fork first (deadlock-prone), or follow the
    /// resource hierarchy (lower-numbered fork first).
    static func philosophers(leftFirst: Bool, count: Int = 3, meals: Int = 1) -> Scenario {
        Scenario(run: {
            let forks = (0..<count).map { Lock(name: "fork\($0)") }
            let threads = (0..<count).map { seat in
                Runtime.spawn(name: "philosopher-\(seat)") {
                    let left = seat
                    let right = (seat + 1) % count
                    let (first, second) = leftFirst ? (left, right) : (min(left, right), max(left, right))
                    for _ in 0..<meals {
                        forks[first].lock()
                        forks[second].lock()
                        forks[second].unlock()
                        forks[first].unlock()
                    }
                }
            }
            for thread in threads { thread.join() }
        })
    }

    /// A readers-writers lock with reader preference (a waiting writer does not stop new
    /// readers) or writer preference; two readers keep re-entering while one writer waits.
    /// The check: a waiting writer is overtaken by at most `bound` reader entries.
    static func readersWriters(readerPreference: Bool, bound: Int = 3, readerRounds: Int = 6) -> Scenario {
        Scenario(run: {
            let lock = Lock(name: "rw")
            let changed = Condition(lock: lock, name: "changed")
            let readers = Shared(0, name: "readers")
            let writing = Shared(false, name: "writing")
            let writersWaiting = Shared(0, name: "writersWaiting")
            let overtaken = ControlledBox(0)
            let writerWaiting = ControlledBox(false)
            var threads = (0..<2).map { id in
                Runtime.spawn(name: "reader-\(id)") {
                    for _ in 0..<readerRounds {
                        lock.lock()
                        while writing.load() || (!readerPreference && writersWaiting.load() > 0) { changed.wait() }
                        readers.store(readers.load() + 1)
                        if writerWaiting.value {
                            overtaken.value += 1
                            require(overtaken.value <= bound, "writer starvation: a waiting writer was overtaken by \(overtaken.value) reader entries (bound \(bound))")
                        }
                        lock.unlock()
                        lock.lock()
                        readers.store(readers.load() - 1)
                        changed.broadcast()
                        lock.unlock()
                    }
                }
            }
            threads.append(Runtime.spawn(name: "writer") {
                lock.lock()
                writersWaiting.store(writersWaiting.load() + 1)
                writerWaiting.value = true
                while writing.load() || readers.load() > 0 { changed.wait() }
                writerWaiting.value = false
                writersWaiting.store(writersWaiting.load() - 1)
                writing.store(true)
                lock.unlock()
                lock.lock()
                writing.store(false)
                changed.broadcast()
                lock.unlock()
            })
            for thread in threads { thread.join() }
        })
    }
}
