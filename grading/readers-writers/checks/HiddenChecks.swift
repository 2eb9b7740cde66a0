import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks of the readers-writers assignment, the XCTest way. Controlled checks use
/// fixed seeds, so a regrade gives the same result. The policy checks drive parties one arrival
/// at a time and look only at quiescence (see `ReadersWritersChecks`).
final class HiddenReadersWritersChecks: ReadersWritersChecks {
    /// Readers and writers using one lock freely; every entry checks exclusion.
    func mixedTraffic(readers: Int, writers: Int, rounds: Int) {
        for policy in PolicyUnderTest.allCases {
            let lock = Submission.makeLock(policy: policy)
            let prefix = policy == .fair ? "f" : policy == .readerPreference ? "rp" : "wp"
            var threads: [ThreadHandle] = []
            for (writer, count) in [(false, readers), (true, writers)] {
                for index in 0..<count {
                    let name = "\(prefix)-\(writer ? "writer" : "reader")-\(index)"
                    threads.append(Runtime.spawn(name: name) {
                        for _ in 0..<rounds {
                            if writer { lock.lockWrite() } else { lock.lockRead() }
                            self.enter(name, isWriter: writer)
                            Runtime.yield()
                            self.leave(name)
                            if writer { lock.unlockWrite() } else { lock.unlockRead() }
                        }
                    })
                }
            }
            for thread in threads { thread.join() }
        }
    }

    func twoAndTwo() { mixedTraffic(readers: 2, writers: 2, rounds: 1) }
    func threeAndTwo() { mixedTraffic(readers: 3, writers: 2, rounds: 2) }

    /// Reader preference: a reader arriving while a writer waits (and a reader is inside) enters.
    func readerPreference() {
        let policy = PolicyUnderTest.readerPreference
        let lock = Submission.makeLock(policy: policy)
        let first = arrive("reader-1", writer: false, at: lock)
        arrive("writer", writer: true, at: lock)
        expectInside(["reader-1"], "reader-1 inside, then a writer arrived", policy: policy)
        let second = arrive("reader-2", writer: false, at: lock)
        expectInside(["reader-1", "reader-2"], "reader-1 inside and a writer waiting, then reader-2 arrived (readers go first)", policy: policy)
        release(first)
        expectInside(["reader-2"], "reader-1 left while reader-2 was inside", policy: policy)
        release(second)
        expectInside(["writer"], "both readers left with the writer waiting", policy: policy)
        finish()
    }

    /// Writer preference: no new reader while a writer waits, and a waiting writer goes before
    /// a waiting reader.
    func writerPreference() {
        let policy = PolicyUnderTest.writerPreference
        let lock = Submission.makeLock(policy: policy)
        let first = arrive("reader-1", writer: false, at: lock)
        let writer1 = arrive("writer-1", writer: true, at: lock)
        arrive("reader-2", writer: false, at: lock)
        expectInside(["reader-1"], "reader-1 inside and writer-1 waiting, then reader-2 arrived (no new reader while a writer waits)", policy: policy)
        release(first)
        expectInside(["writer-1"], "reader-1 left with writer-1 and reader-2 waiting", policy: policy)
        let writer2 = arrive("writer-2", writer: true, at: lock)
        release(writer1)
        expectInside(["writer-2"], "writer-1 left with reader-2 and writer-2 waiting (waiting writers go first)", policy: policy)
        release(writer2)
        expectInside(["reader-2"], "writer-2 left with only reader-2 waiting", policy: policy)
        finish()
    }

    /// Fair: admitted in arrival order, readers that come next to each other in the line
    /// together; no overtaking (bound 0).
    func fairOrder() {
        let policy = PolicyUnderTest.fair
        let lock = Submission.makeLock(policy: policy)
        let reader1 = arrive("reader-1", writer: false, at: lock)
        let writer1 = arrive("writer-1", writer: true, at: lock)
        let reader2 = arrive("reader-2", writer: false, at: lock)
        expectInside(["reader-1"], "reader-1 inside, writer-1 waiting, then reader-2 arrived (it must queue behind writer-1)", policy: policy)
        let writer2 = arrive("writer-2", writer: true, at: lock)
        arrive("reader-3", writer: false, at: lock)
        release(reader1)
        expectInside(["writer-1"], "reader-1 left; the line was writer-1, reader-2, writer-2, reader-3", policy: policy)
        release(writer1)
        expectInside(["reader-2"], "writer-1 left; the line was reader-2, writer-2, reader-3 (reader-3 arrived after writer-2)", policy: policy)
        release(reader2)
        expectInside(["writer-2"], "reader-2 left; the line was writer-2, reader-3", policy: policy)
        release(writer2)
        expectInside(["reader-3"], "writer-2 left; reader-3 was the last in line", policy: policy)
        finish()
        CheckAssert(entered.value == ["reader-1", "writer-1", "reader-2", "writer-2", "reader-3"], "fair: the lock was entered in the order \(entered.value), not in arrival order")
    }

    /// Fair: a writer under a stream of overlapping readers, and a reader under a stream of
    /// writers, each get in once those ahead of them leave.
    func fairNoStarvation() {
        let policy = PolicyUnderTest.fair
        let lock = Submission.makeLock(policy: policy)
        // A writer and a stream of readers, each arriving while the one before is inside.
        var current = arrive("reader-1", writer: false, at: lock)
        let writer = arrive("writer", writer: true, at: lock)
        var readers = 1
        while readers < 4, !inside.value.contains(where: { $0.name == "writer" }) {
            readers += 1
            let next = arrive("reader-\(readers)", writer: false, at: lock)
            release(current)
            current = next
        }
        CheckAssert(entered.value.contains("writer"), "fair: a writer waited through \(readers - 1) readers leaving while new readers kept arriving: it starves")
        finish()
        // A reader and a stream of writers.
        entered.value = []
        var holder = arrive("writer-1", writer: true, at: lock)
        arrive("reader", writer: false, at: lock)
        var writers = 1
        while writers < 4, !entered.value.contains("reader") {
            writers += 1
            let next = arrive("writer-\(writers)", writer: true, at: lock)
            release(holder)
            holder = next
        }
        CheckAssert(entered.value.contains("reader"), "fair: a reader waited through \(writers - 1) writers leaving while new writers kept arriving: it starves")
        finish()
        _ = writer
    }

    /// Each policy: when the writer leaves, the two readers waiting enter together.
    func readersTogetherAfterWriter() {
        for policy in PolicyUnderTest.allCases {
            let lock = Submission.makeLock(policy: policy)
            let writer = arrive("writer", writer: true, at: lock)
            arrive("reader-1", writer: false, at: lock)
            arrive("reader-2", writer: false, at: lock)
            expectInside(["writer"], "a writer inside, then two readers arrived", policy: policy)
            release(writer)
            expectInside(["reader-1", "reader-2"], "the writer left with two readers waiting and nobody else (both may enter)", policy: policy)
            finish()
        }
    }

    /// Real threads, each policy: four readers and two writers, 500 entries each.
    func realThreads() {
        for policy in PolicyUnderTest.allCases {
            let lock = Submission.makeLock(policy: policy)
            let readersInside = AtomicInt(0)
            let writersInside = AtomicInt(0)
            let broken = AtomicInt(0)
            var threads: [ThreadHandle] = []
            for _ in 0..<4 {
                threads.append(Runtime.spawn {
                    for _ in 0..<500 {
                        lock.lockRead()
                        readersInside.fetchAdd(1, ordering: .sequentiallyConsistent)
                        if writersInside.load(ordering: .sequentiallyConsistent) != 0 { broken.fetchAdd(1, ordering: .relaxed) }
                        readersInside.fetchAdd(-1, ordering: .sequentiallyConsistent)
                        lock.unlockRead()
                    }
                })
            }
            for _ in 0..<2 {
                threads.append(Runtime.spawn {
                    for _ in 0..<500 {
                        lock.lockWrite()
                        if writersInside.fetchAdd(1, ordering: .sequentiallyConsistent) != 0 || readersInside.load(ordering: .sequentiallyConsistent) != 0 {
                            broken.fetchAdd(1, ordering: .relaxed)
                        }
                        writersInside.fetchAdd(-1, ordering: .sequentiallyConsistent)
                        lock.unlockWrite()
                    }
                })
            }
            for thread in threads { thread.join() }
            CheckAssert(broken.load() == 0, "\(policy.rawValue): \(broken.load()) times a writer was not alone")
        }
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "writer-alone", "each policy, two readers and two writers under PCT: a writer is always alone",
                explanation: "a writer may enter only when no reader and no other writer is inside, and a reader only when no writer is.",
                points: 15, property: .mutualExclusion, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 400), seed: 301, schedules: 1_000)),
                HiddenReadersWritersChecks.twoAndTwo),
            check(
                "no-deadlock-spurious-wakeups", "each policy, three readers and two writers twice each, with spurious wakeups: exclusion and no deadlock",
                explanation: "every wait must be in a `while` loop (a wakeup may be spurious or stolen), and whoever leaves must wake whoever may now enter.",
                points: 10, property: .spuriousWakeups, .hidden,
                .controlled(ExplorationPlan(strategy: .random, seed: 302, schedules: 1_000, options: ExecutionOptions(spuriousWakeups: 4))),
                HiddenReadersWritersChecks.threeAndTwo),
            check(
                "reader-preference", "reader preference: a reader arriving while a writer waits enters with the readers inside",
                explanation: "under reader preference a waiting writer does not hold up arriving readers while readers are inside; the writer enters when the last reader leaves.",
                points: 10, property: .admissionPolicy, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 303, schedules: 300, options: quiescent)),
                HiddenReadersWritersChecks.readerPreference),
            check(
                "writer-preference", "writer preference: no new reader while a writer waits; waiting writers before waiting readers",
                explanation: "under writer preference, once a writer waits no reader may enter until no writer waits any more.",
                points: 15, property: .admissionPolicy, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 304, schedules: 300, options: quiescent)),
                HiddenReadersWritersChecks.writerPreference),
            check(
                "fair-order", "fair: admitted in arrival order, nobody overtaken",
                explanation: "under the fair policy a thread that arrives while others wait queues behind them; readers next to each other in the line enter together.",
                points: 10, property: .fairness, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 305, schedules: 300, options: quiescent)),
                HiddenReadersWritersChecks.fairOrder),
            check(
                "fair-no-starvation", "fair: a writer under a stream of readers, and a reader under a stream of writers, get in",
                explanation: "under the fair policy neither side starves: a waiting thread enters once those that arrived before it have left.",
                points: 10, property: .fairness, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 306, schedules: 300, options: quiescent)),
                HiddenReadersWritersChecks.fairNoStarvation),
            check(
                "readers-together-after-writer", "each policy: two readers waiting for a writer both enter when it leaves",
                explanation: "when a writer leaves, every reader that may enter must be woken (broadcast, or a chain of signals), not just one.",
                points: 10, property: .noLostWakeup, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 307, schedules: 300, options: quiescent)),
                HiddenReadersWritersChecks.readersTogetherAfterWriter),
            check(
                "native-stress", "each policy on real threads: four readers, two writers, 500 entries each",
                explanation: "under real parallelism a writer must still be alone, and nobody may deadlock.",
                points: 0, property: .mutualExclusion, .hidden, .native(iterations: 3, longIterations: 30), HiddenReadersWritersChecks.realThreads),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenReadersWritersChecks.checks }
}
