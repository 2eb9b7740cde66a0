import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks of the producer-consumer assignment, the XCTest way. Each runs in its own
/// sandboxed process; controlled checks are deterministic (fixed seeds), so a regrade gives the
/// same result.
final class HiddenBufferChecks: BufferChecks {
    /// An operation on the buffer, as a linearizability history records it.
    enum BufferOperation: CustomStringConvertible, Sendable {
        case put(Int)
        case get
        var description: String {
            switch self {
            case .put(let item): "put(\(item))"
            case .get: "get()"
            }
        }
    }

    /// A bounded FIFO buffer one operation at a time: `put` (returns 0) waits while full, `get` while empty.
    static func boundedBuffer(capacity: Int) -> SequentialSpecification<[Int], BufferOperation, Int> {
        SequentialSpecification(initial: []) { items, operation in
            switch operation {
            case .put(let item): items.count < capacity ? (items + [item], 0) : nil
            case .get: items.isEmpty ? nil : (Array(items.dropFirst()), items[0])
            }
        }
    }

    func twoByTwo() { traffic(capacity: 2, producers: 2, consumers: 2, perProducer: 3) }
    func twoByTwoCapacity3() { traffic(capacity: 3, producers: 2, consumers: 2, perProducer: 4) }
    func oneProducerTwoConsumersCapacity1() { traffic(capacity: 1, producers: 1, consumers: 2, perProducer: 4) }
    func oneProducerTwoConsumersTwoItems() { traffic(capacity: 1, producers: 1, consumers: 2, perProducer: 2) }

    /// Every put and get of two producers and two consumers, checked against one FIFO order.
    func linearizable() {
        let history = History<BufferOperation, Int>()
        let buffer = Submission.makeBuffer(capacity: 2)
        let producers = (0..<2).map { p in
            Runtime.spawn(name: "producer-\(p)") {
                for i in 0..<3 {
                    let item = p * 100 + i
                    history.call(.put(item)) {
                        buffer.put(item)
                        return 0
                    }
                }
            }
        }
        let consumers = (0..<2).map { c in
            Runtime.spawn(name: "consumer-\(c)") {
                for _ in 0..<3 { history.call(.get) { buffer.get() } }
            }
        }
        for handle in producers + consumers { handle.join() }
        atEnd { _ in
            if let violation = LinearizabilityChecker.check(history.entries, against: Self.boundedBuffer(capacity: 2)) {
                CheckFail(violation.description)
            }
        }
    }

    /// Three producers, no consumer, capacity 2: exactly two puts may complete.
    func capacityNeverExceeded() {
        let completed = ControlledBox(0)
        let buffer = Submission.makeBuffer(capacity: 2)
        for p in 0..<3 {
            Runtime.spawn(name: "producer-\(p)") {
                buffer.put(p)
                completed.value += 1
            }
        }
        atEnd { _ in
            CheckAssert(completed.value <= 2, "capacity exceeded: with capacity 2 and no consumer, \(completed.value) puts completed (at most 2 may)")
            CheckAssert(completed.value >= 2, "only \(completed.value) puts completed although the buffer had room for 2")
        }
    }

    /// One producer, capacity 3, four puts: the fourth must block.
    func putBlocksWhenFull() {
        let completed = ControlledBox(0)
        let buffer = Submission.makeBuffer(capacity: 3)
        Runtime.spawn(name: "producer") {
            for i in 0..<4 {
                buffer.put(i)
                completed.value += 1
            }
        }
        atEnd { report in
            CheckAssert(completed.value == 3, "with capacity 3 and no consumer, \(completed.value) puts completed (expected exactly 3, the fourth must block)")
            CheckAssert(report.blockedAtEnd.contains("producer"), "the producer was not blocked on the full buffer")
        }
    }

    /// A get before the put: it must wait for the item, then return it.
    func getBlocksWhenEmpty() {
        let got = ControlledBox(0)
        let buffer = Submission.makeBuffer(capacity: 2)
        Runtime.spawn(name: "consumer") {
            _ = buffer.get()
            got.value += 1
        }
        Runtime.spawn(name: "producer") { buffer.put(7) }
        atEnd { report in
            CheckAssert(got.value == 1, "one item was put and \(got.value) gets returned (expected exactly 1)")
            CheckAssert(report.blockedAtEnd.isEmpty, "\(report.blockedAtEnd.joined(separator: ", ")) stayed blocked although an item was available")
        }
    }

    /// Four producers and four consumers on real threads.
    func manyRealThreads() {
        let buffer = Submission.makeBuffer(capacity: 8)
        let sum = AtomicInt(0)
        let count = AtomicInt(0)
        var threads: [ThreadHandle] = []
        for p in 0..<4 {
            threads.append(Runtime.spawn { for i in 0..<2_000 { buffer.put(p * 2_000 + i) } })
        }
        for _ in 0..<4 {
            threads.append(Runtime.spawn {
                for _ in 0..<2_000 {
                    sum.fetchAdd(buffer.get(), ordering: .relaxed)
                    count.fetchAdd(1, ordering: .relaxed)
                }
            })
        }
        for thread in threads { thread.join() }
        CheckAssert(count.load() == 8_000, "\(count.load()) of 8000 items arrived")
        CheckAssert(sum.load() == (0..<8_000).reduce(0, +), "the items that arrived are not the items that were put (sum \(sum.load()))")
    }

    override class var checks: [CheckDefinition] {
        let blockedAtEnd = ExecutionOptions(allowBlockedAtEnd: true)
        return [
            check(
                "no-lost-items", "2 producers, 2 consumers: no item lost or duplicated",
                explanation: "every put item must be got exactly once; a missing lock lets two puts or gets overwrite each other.",
                points: 10, property: .noLostItems, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 101, schedules: 1_000)),
                HiddenBufferChecks.twoByTwo),
            check(
                "per-producer-fifo", "each consumer sees each producer's items in the order they were put",
                explanation: "the buffer is FIFO, so items of one producer can never overtake each other.",
                points: 10, property: .order, .hidden, .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 150), seed: 102, schedules: 1_000)),
                HiddenBufferChecks.twoByTwoCapacity3),
            check(
                "capacity-never-exceeded", "three producers, no consumer, capacity 2: exactly two puts complete",
                explanation: "with nobody consuming, a put may complete only while the buffer has room; checking for room and appending must happen under the same lock hold.",
                points: 10, property: .capacity, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 103, schedules: 1_000, options: blockedAtEnd)),
                HiddenBufferChecks.capacityNeverExceeded),
            check(
                "put-blocks-when-full", "put blocks when the buffer is full",
                explanation: "with nobody consuming, exactly `capacity` puts may complete and the next one must wait.",
                points: 10, property: .blocking, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 104, schedules: 200, options: blockedAtEnd)),
                HiddenBufferChecks.putBlocksWhenFull),
            check(
                "get-blocks-when-empty", "get blocks when the buffer is empty",
                explanation: "get() must wait for an item, not return a made-up one or crash.",
                points: 10, property: .blocking, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 105, schedules: 200, options: blockedAtEnd)),
                HiddenBufferChecks.getBlocksWhenEmpty),
            check(
                "no-deadlock-capacity-1", "capacity 1, one producer, two consumers: no deadlock",
                explanation: "with one condition shared by producers and consumers, signal can wake the wrong side and everyone sleeps (Cargill's bug); use two conditions or broadcast.",
                points: 10, property: .noDeadlock, .hidden,
                .controlled(ExplorationPlan(strategy: .pct(depth: 2, steps: 120), seed: 106, schedules: 1_000, options: ExecutionOptions(spuriousWakeups: 0))),
                HiddenBufferChecks.oneProducerTwoConsumersCapacity1),
            check(
                "survives-spurious-wakeups", "correct even when wait() returns spuriously",
                explanation: "Condition.wait may return without a signal (Mesa semantics); always recheck the condition in a while loop.",
                points: 10, property: .spuriousWakeups, .hidden,
                .controlled(ExplorationPlan(strategy: .random, seed: 107, schedules: 500, options: ExecutionOptions(spuriousWakeups: 3))),
                HiddenBufferChecks.oneProducerTwoConsumersTwoItems),
            check(
                "linearizable", "every put and get explained by one FIFO order (linearizability), 2 producers and 2 consumers",
                explanation: "each operation must appear to take effect at one instant between its call and its return, as a FIFO buffer of the given capacity would: no item twice, none invented, none overtaking, never more than capacity held.",
                points: 10, property: .linearizability, .hidden, .controlled(ExplorationPlan(strategy: .random, seed: 109, schedules: 1_000)),
                HiddenBufferChecks.linearizable),
            check(
                "progress-many-threads", "4 producers and 4 consumers on real threads deliver 8,000 items",
                explanation: "under real parallelism every item must arrive; a deadlock or a lost wakeup shows as a timeout.",
                points: 0, property: .progress, .hidden, .native(iterations: 3, longIterations: 30), HiddenBufferChecks.manyRealThreads),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenBufferChecks.checks }
}
