import CheckKit
import AssignmentContract
import TurnstileRuntime

/// The hidden checks of the producer-consumer assignment. Each runs in its own sandboxed
/// process; controlled checks are deterministic (fixed seeds), so a regrade gives the same result.
enum HiddenChecks {
    static var all: [CheckDefinition] {
        [noLostItems, perProducerFIFO, capacityNeverExceeded, putBlocksWhenFull, getBlocksWhenEmpty,
         cargillNoDeadlock, spuriousWakeups, linearizable, nativeProgress]
    }

    static let noLostItems = CheckDefinition(
        id: "no-lost-items",
        title: "2 producers, 2 consumers: no item lost or duplicated",
        explanation: "every put item must be got exactly once; a missing lock lets two puts or gets overwrite each other.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 101, schedules: 1_000)),
        makeScenario: { Traffic.scenario(capacity: 2, producers: 2, consumers: 2, perProducer: 3) })

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

    static let linearizable = CheckDefinition(
        id: "linearizable",
        title: "every put and get explained by one FIFO order (linearizability), 2 producers and 2 consumers",
        explanation: "each operation must appear to take effect at one instant between its call and its return, as a FIFO buffer of the given capacity would: no item twice, none invented, none overtaking, never more than capacity held.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 109, schedules: 1_000)),
        makeScenario: {
            let history = History<BufferOperation, Int>()
            return Scenario(
                run: {
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
                },
                verify: { _ in
                    LinearizabilityChecker.check(history.entries, against: boundedBuffer(capacity: 2)).map(\.description)
                })
        })

    static let perProducerFIFO = CheckDefinition(
        id: "per-producer-fifo",
        title: "each consumer sees each producer's items in the order they were put",
        explanation: "the buffer is FIFO, so items of one producer can never overtake each other.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 150), seed: 102, schedules: 1_000)),
        makeScenario: { Traffic.scenario(capacity: 3, producers: 2, consumers: 2, perProducer: 4) })

    static let capacityNeverExceeded = CheckDefinition(
        id: "capacity-never-exceeded",
        title: "three producers, no consumer, capacity 2: exactly two puts complete",
        explanation: "with nobody consuming, a put may complete only while the buffer has room; checking for room and appending must happen under the same lock hold.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 103, schedules: 1_000, options: ExecutionOptions(allowBlockedAtEnd: true))),
        makeScenario: {
            let completed = ControlledBox(0)
            return Scenario(
                run: {
                    let buffer = Submission.makeBuffer(capacity: 2)
                    for p in 0..<3 {
                        Runtime.spawn(name: "producer-\(p)") {
                            buffer.put(p)
                            completed.value += 1
                        }
                    }
                },
                verify: { report in
                    if completed.value > 2 { return "capacity exceeded: with capacity 2 and no consumer, \(completed.value) puts completed (at most 2 may)" }
                    if completed.value < 2 { return "only \(completed.value) puts completed although the buffer had room for 2" }
                    return nil
                })
        })

    static let putBlocksWhenFull = CheckDefinition(
        id: "put-blocks-when-full",
        title: "put blocks when the buffer is full",
        explanation: "with nobody consuming, exactly `capacity` puts may complete and the next one must wait.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 104, schedules: 200, options: ExecutionOptions(allowBlockedAtEnd: true))),
        makeScenario: {
            let completed = ControlledBox(0)
            return Scenario(
                run: {
                    let buffer = Submission.makeBuffer(capacity: 3)
                    Runtime.spawn(name: "producer") {
                        for i in 0..<4 {
                            buffer.put(i)
                            completed.value += 1
                        }
                    }
                },
                verify: { report in
                    if completed.value != 3 { return "with capacity 3 and no consumer, \(completed.value) puts completed (expected exactly 3, the fourth must block)" }
                    if !report.blockedAtEnd.contains("producer") { return "the producer was not blocked on the full buffer" }
                    return nil
                })
        })

    static let getBlocksWhenEmpty = CheckDefinition(
        id: "get-blocks-when-empty",
        title: "get blocks when the buffer is empty",
        explanation: "get() must wait for an item, not return a made-up one or crash.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 105, schedules: 200, options: ExecutionOptions(allowBlockedAtEnd: true))),
        makeScenario: {
            let got = ControlledBox(0)
            return Scenario(
                run: {
                    let buffer = Submission.makeBuffer(capacity: 2)
                    Runtime.spawn(name: "consumer") {
                        _ = buffer.get()
                        got.value += 1
                    }
                    Runtime.spawn(name: "producer") { buffer.put(7) }
                },
                verify: { report in
                    if got.value != 1 { return "one item was put and \(got.value) gets returned (expected exactly 1)" }
                    if !report.blockedAtEnd.isEmpty { return "\(report.blockedAtEnd.joined(separator: ", ")) stayed blocked although an item was available" }
                    return nil
                })
        })

    static let cargillNoDeadlock = CheckDefinition(
        id: "no-deadlock-capacity-1",
        title: "capacity 1, one producer, two consumers: no deadlock",
        explanation: "with one condition shared by producers and consumers, signal can wake the wrong side and everyone sleeps (Cargill's bug); use two conditions or broadcast.",
        mode: .controlled(ExplorationPlan(strategy: .pct(depth: 2, steps: 120), seed: 106, schedules: 1_000, options: ExecutionOptions(spuriousWakeups: 0))),
        makeScenario: { Traffic.scenario(capacity: 1, producers: 1, consumers: 2, perProducer: 4) })

    static let spuriousWakeups = CheckDefinition(
        id: "survives-spurious-wakeups",
        title: "correct even when wait() returns spuriously",
        explanation: "Condition.wait may return without a signal (Mesa semantics); always recheck the condition in a while loop.",
        mode: .controlled(ExplorationPlan(strategy: .random, seed: 107, schedules: 500, options: ExecutionOptions(spuriousWakeups: 3))),
        makeScenario: { Traffic.scenario(capacity: 1, producers: 1, consumers: 2, perProducer: 2) })

    static let nativeProgress = CheckDefinition(
        id: "progress-many-threads",
        title: "4 producers and 4 consumers on real threads deliver 8,000 items",
        explanation: "under real parallelism every item must arrive; a deadlock or a lost wakeup shows as a timeout.",
        mode: .native(iterations: 3, longIterations: 30),
        makeScenario: {
            Scenario(run: {
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
                require(count.load() == 8_000, "\(count.load()) of 8000 items arrived")
                require(sum.load() == (0..<8_000).reduce(0, +), "the items that arrived are not the items that were put (sum \(sum.load()))")
            })
        })
}
