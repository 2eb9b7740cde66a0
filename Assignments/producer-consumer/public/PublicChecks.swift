import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The checks, written the XCTest way: a fresh instance per execution and one method per check.
/// Students run the public ones with `turnstile test`; the hidden ones subclass this.
class BufferChecks: CheckCase {
    /// One thread: items come back in the order they went in, up to capacity.
    func sequentialFIFO() {
        let buffer = Submission.makeBuffer(capacity: 4)
        for round in 0..<3 {
            for i in 0..<4 { buffer.put(round * 10 + i) }
            let out = (0..<4).map { _ in buffer.get() }
            CheckAssert(out == (0..<4).map { round * 10 + $0 }, "expected \((0..<4).map { round * 10 + $0 }) back in order, got \(out)")
        }
    }

    /// One producer and one consumer under the controlled engine.
    func oneProducerOneConsumer() {
        let buffer = Submission.makeBuffer(capacity: 2)
        let received = ControlledBox<[Int]>([])
        let producer = Runtime.spawn(name: "producer") { for i in 0..<5 { buffer.put(i) } }
        let consumer = Runtime.spawn(name: "consumer") { for _ in 0..<5 { received.value.append(buffer.get()) } }
        producer.join()
        consumer.join()
        CheckAssert(received.value == [0, 1, 2, 3, 4], "the consumer received \(received.value), expected [0, 1, 2, 3, 4]")
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "sequential-fifo", "one thread: put up to capacity, then get everything back in order",
                explanation: "put(_:) must append at the back and get() must remove from the front; no threads involved.",
                // One schedule under the controlled engine: with one thread there is nothing to
                // explore, and any thread the code starts is still scheduled the same way every time.
                points: 10, property: .order, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                BufferChecks.sequentialFIFO),
            check(
                "one-producer-one-consumer", "one producer, one consumer, capacity 2: every item arrives once, in order",
                explanation: "the consumer must wait while the buffer is empty and the producer while it is full; every schedule is tried under the controlled engine.",
                points: 10, property: .noLostItems, .public, .controlled(ExplorationPlan(strategy: .random, seed: 11, schedules: 300)),
                BufferChecks.oneProducerOneConsumer),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { BufferChecks.checks }
}
