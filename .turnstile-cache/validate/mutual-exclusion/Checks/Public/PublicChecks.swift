import CheckKit
import AssignmentContract
import TurnstileRuntime

/// The checks students run with `turnstile test`. The grader runs them too, with the hidden ones.
enum PublicChecks {
    static var all: [CheckDefinition] { [petersonTwoThreads, ticketThreeThreads] }

    /// Threads enter a critical section `rounds` times each; inside, they bump a shared counter
    /// with a separate load and store, so two threads inside at once lose an update.
    static func contention(threads: Int, rounds: Int, lock: @escaping (Int) -> Void, unlock: @escaping (Int) -> Void) -> Scenario {
        Scenario(run: {
            let counter = Shared(0, name: "counter")
            let inside = ControlledBox(0)
            let handles = (0..<threads).map { me in
                Runtime.spawn(name: "t\(me)") {
                    for _ in 0..<rounds {
                        lock(me)
                        inside.value += 1
                        require(inside.value == 1, "mutual exclusion violated: t\(me) entered while another thread was inside")
                        counter.store(counter.load() + 1)
                        inside.value -= 1
                        unlock(me)
                    }
                }
            }
            for handle in handles { handle.join() }
            let total = counter.load()
            require(total == threads * rounds, "lost updates: the counter is \(total), expected \(threads * rounds)")
        })
    }

    static let petersonTwoThreads = CheckDefinition(
        id: "peterson-two-threads",
        title: "Peterson's lock: two threads, two rounds each, never both inside",
        explanation: "every interleaving of flag, turn and the wait loop is tried; both threads inside at once, or both waiting forever, fails.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 21, schedules: 300)),
        makeScenario: {
            let lock = Submission.makePetersonLock()
            return contention(threads: 2, rounds: 2, lock: { lock.lock($0) }, unlock: { lock.unlock($0) })
        })

    static let ticketThreeThreads = CheckDefinition(
        id: "ticket-three-threads",
        title: "ticket lock: three threads, two rounds each, never two inside",
        explanation: "taking a ticket must be atomic, and unlock must serve exactly the next ticket.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 22, schedules: 300)),
        makeScenario: {
            let lock = Submission.makeTicketLock()
            return contention(threads: 3, rounds: 2, lock: { _ in lock.lock() }, unlock: { _ in lock.unlock() })
        })
}
