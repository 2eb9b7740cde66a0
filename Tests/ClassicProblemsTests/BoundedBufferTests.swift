import CheckKit
import ClassicProblems
import Testing
import TurnstileRuntime

/// Both bounded buffers: no item lost or duplicated, per-producer order, blocking when full
/// or empty, no deadlock.
@Suite(.serialized)
struct BoundedBufferTests {
    static let forms: [(String, @Sendable (Int) -> any BoundedBuffer<Int>)] = [
        ("semaphores", { SemaphoreBoundedBuffer<Int>(capacity: $0) }), ("monitor", { MonitorBoundedBuffer<Int>(capacity: $0) }),
    ]

    static func scenario(
        _ make: @escaping @Sendable (Int) -> any BoundedBuffer<Int>, capacity: Int = 2, producers: Int = 2,
        consumers: Int = 2, perProducer: Int = 3
    ) -> () -> Void {
        {
            let buffer = make(capacity)
            let total = producers * perProducer
            let received = ControlledBox<[[Int]]>(Array(repeating: [], count: consumers))
            var handles: [ThreadHandle] = []
            for p in 0..<producers {
                handles.append(Runtime.spawn(name: "producer-\(p)") {
                    for i in 0..<perProducer { buffer.put(p * 100 + i, file: #fileID, line: #line) }
                })
            }
            for c in 0..<consumers {
                handles.append(Runtime.spawn(name: "consumer-\(c)") {
                    for _ in 0..<(total / consumers) { received.value[c].append(buffer.take(file: #fileID, line: #line)) }
                })
            }
            handles.forEach { $0.join() }
            let all = received.value.flatMap { $0 }.sorted()
            let expected = (0..<producers).flatMap { p in (0..<perProducer).map { p * 100 + $0 } }
            require(all == expected, "items lost or duplicated: received \(all)")
            for items in received.value {
                for p in 0..<producers {
                    let fromP = items.filter { $0 / 100 == p }
                    require(fromP == fromP.sorted(), "producer \(p)'s items came out of order: \(fromP)")
                }
            }
        }
    }

    @Test(arguments: [0, 1])
    func everyItemArrivesOnceInProducerOrder(_ which: Int) {
        let (name, make) = Self.forms[which]
        expectPasses(Explorer.explore(plan()) { Self.scenario(make)() }, name)
        expectPasses(Explorer.explore(plan(500, strategy: .pct(depth: 3, steps: 300))) { Self.scenario(make)() }, name)
        expectPasses(Explorer.explore(plan(300)) { Self.scenario(make, capacity: 1, producers: 1, consumers: 2, perProducer: 4)() }, name)
    }

    @Test(arguments: [0, 1])
    func itemsAreVisibleToConsumersUnderStoreBuffers(_ which: Int) {
        let (name, make) = Self.forms[which]
        expectPasses(Explorer.explore(plan(300, memoryModel: .totalStoreOrder)) { Self.scenario(make, producers: 1, consumers: 1)() }, name)
    }

    @Test(arguments: [0, 1])
    func aFullBufferBlocksTheProducerAndAnEmptyOneTheConsumer(_ which: Int) throws {
        let (name, make) = Self.forms[which]
        var options = plan(50)
        options.options.allowBlockedAtEnd = true
        let full = Explorer.explore(options) {
            let buffer = make(1)
            Runtime.spawn(name: "producer") {
                buffer.put(1, file: #fileID, line: #line)
                buffer.put(2, file: #fileID, line: #line)
            }
        }
        #expect(full.failure == nil, "\(name)")
        #expect(full.lastBlockedAtEnd == ["producer"], "\(name): \(full.lastBlockedAtEnd)")
        let empty = Explorer.explore(options) {
            let buffer = make(1)
            Runtime.spawn(name: "consumer") { _ = buffer.take(file: #fileID, line: #line) }
        }
        #expect(empty.lastBlockedAtEnd == ["consumer"], "\(name): \(empty.lastBlockedAtEnd)")
    }

    @Test(arguments: [0, 1])
    func takingMoreThanWasPutIsReportedAsDeadlock(_ which: Int) throws {
        let (name, make) = Self.forms[which]
        let result = Explorer.explore(plan(100)) {
            let buffer = make(2)
            let consumer = Runtime.spawn(name: "consumer") {
                for _ in 0..<3 { _ = buffer.take(file: #fileID, line: #line) }
            }
            buffer.put(1, file: #fileID, line: #line)
            buffer.put(2, file: #fileID, line: #line)
            consumer.join()
        }
        let failure = try #require(result.failure, "\(name)").failure
        #expect(failure.kind == .deadlock, "\(name): \(failure)")
    }
}
