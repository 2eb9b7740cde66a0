import AssignmentContract
import CheckKit
import TurnstileRuntime

extension HiddenBufferChecks {
    /// `producers` put `perProducer` tagged items each; `consumers` share the total. Checks:
    /// every item exactly once, per-producer FIFO per consumer, and no overflow (completed puts
    /// minus started gets never exceed capacity).
    func traffic(capacity: Int, producers: Int, consumers: Int, perProducer: Int) {
        let buffer = Submission.makeBuffer(capacity: capacity)
        let total = producers * perProducer
        let completedPuts = ControlledBox(0)
        let startedGets = ControlledBox(0)
        let received = ControlledBox<[[Int]]>(Array(repeating: [], count: consumers))
        var threads: [ThreadHandle] = []
        for p in 0..<producers {
            threads.append(Runtime.spawn(name: "producer-\(p)") {
                for i in 0..<perProducer {
                    buffer.put(p * 1_000 + i)
                    completedPuts.value += 1
                    CheckAssert(completedPuts.value - startedGets.value <= capacity,
                                "capacity \(capacity) exceeded: \(completedPuts.value) puts completed while only \(startedGets.value) gets had started")
                }
            })
        }
        for c in 0..<consumers {
            let share = total / consumers + (c < total % consumers ? 1 : 0)
            threads.append(Runtime.spawn(name: "consumer-\(c)") {
                for _ in 0..<share {
                    startedGets.value += 1
                    let item = buffer.get()
                    CheckAssert(item / 1_000 < producers && item % 1_000 < perProducer, "get returned \(item), which no producer put")
                    if let previous = received.value[c].last(where: { $0 / 1_000 == item / 1_000 }) {
                        CheckAssert(previous < item, "consumer-\(c) got \(item) after \(previous) from the same producer: FIFO order broken")
                    }
                    received.value[c].append(item)
                }
            })
        }
        for thread in threads { thread.join() }
        let all = received.value.flatMap { $0 }.sorted()
        let expected = (0..<producers).flatMap { p in (0..<perProducer).map { p * 1_000 + $0 } }
        CheckAssert(all == expected, "items lost or duplicated: put \(expected), got \(all)")
    }
}
