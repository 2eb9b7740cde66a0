import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The checks, written the XCTest way: a fresh instance per execution and one method per check.
/// Students run the public ones with `turnstile test`; the hidden ones subclass this.
class MutualExclusionChecks: CheckCase {
    /// Threads enter a critical section `rounds` times each; inside, they bump a shared counter
    /// with a separate load and store, so two threads inside at once lose an update.
    func contention(threads: Int, rounds: Int, lock: @escaping @Sendable (Int) -> Void, unlock: @escaping @Sendable (Int) -> Void) {
        let counter = Shared(0, name: "counter")
        let inside = ControlledBox(0)
        let handles = (0..<threads).map { me in
            Runtime.spawn(name: "t\(me)") {
                for _ in 0..<rounds {
                    lock(me)
                    inside.value += 1
                    CheckAssert(inside.value == 1, "mutual exclusion violated: t\(me) entered while another thread was inside")
                    counter.store(counter.load() + 1)
                    inside.value -= 1
                    unlock(me)
                }
            }
        }
        for handle in handles { handle.join() }
        let total = counter.load()
        CheckAssert(total == threads * rounds, "lost updates: the counter is \(total), expected \(threads * rounds)")
    }

    /// Two threads through the student's Peterson lock.
    func peterson(rounds: Int) {
        let lock = Submission.makePetersonLock()
        contention(threads: 2, rounds: rounds, lock: { lock.lock($0) }, unlock: { lock.unlock($0) })
    }

    /// `threads` threads through the student's ticket lock.
    func ticket(threads: Int, rounds: Int) {
        let lock = Submission.makeTicketLock()
        contention(threads: threads, rounds: rounds, lock: { _ in lock.lock() }, unlock: { _ in lock.unlock() })
    }

    func petersonTwoRounds() { peterson(rounds: 2) }
    func ticketThreeThreads() { ticket(threads: 3, rounds: 2) }

    override class var checks: [CheckDefinition] {
        [
            check(
                "peterson-two-threads", "Peterson's lock: two threads, two rounds each, never both inside",
                explanation: "every interleaving of flag, turn and the wait loop is tried; both threads inside at once, or both waiting forever, fails.",
                points: 10, property: .mutualExclusion, .public, .controlled(ExplorationPlan(strategy: .random, seed: 21, schedules: 300)),
                MutualExclusionChecks.petersonTwoRounds),
            check(
                "ticket-three-threads", "ticket lock: three threads, two rounds each, never two inside",
                explanation: "taking a ticket must be atomic, and unlock must serve exactly the next ticket.",
                points: 10, property: .mutualExclusion, .public, .controlled(ExplorationPlan(strategy: .random, seed: 22, schedules: 300)),
                MutualExclusionChecks.ticketThreeThreads),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { MutualExclusionChecks.checks }
}
