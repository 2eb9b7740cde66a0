import CheckKit
import Testing
import TurnstileRuntime

/// The linearizability checker accepts exactly the histories some real-time-respecting order
/// explains, and finds a buffer that overflows or loses order under the controlled engine.
@Suite struct LinearizabilityTests {
    enum Op: CustomStringConvertible, Sendable {
        case put(Int)
        case get
        var description: String {
            switch self {
            case .put(let value): "put(\(value))"
            case .get: "get()"
            }
        }
    }

    /// A bounded FIFO buffer: `put` blocks when full, `get` when empty; `get` returns the item, `put` 0.
    static func buffer(capacity: Int) -> SequentialSpecification<[Int], Op, Int> {
        SequentialSpecification(initial: []) { items, op in
            switch op {
            case .put(let value): items.count < capacity ? (items + [value], 0) : nil
            case .get: items.isEmpty ? nil : (Array(items.dropFirst()), items[0])
            }
        }
    }

    typealias Entry = History<Op, Int>.Entry

    static func entry(_ thread: String, _ op: Op, _ value: Int?, _ called: Int, _ returned: Int?) -> Entry {
        Entry(thread: thread, operation: op, value: value, called: called, returned: returned)
    }

    @Test func overlappingOperationsMayTakeEitherOrder() {
        let spec = Self.buffer(capacity: 4)
        // put(1) and put(2) overlap, so a get may see either first.
        let overlapping = [
            Self.entry("a", .put(1), 0, 1, 4), Self.entry("b", .put(2), 0, 2, 3), Self.entry("c", .get, 2, 5, 6),
        ]
        #expect(LinearizabilityChecker.check(overlapping, against: spec) == nil)
        // put(1) returned before put(2) was called: FIFO forbids getting 2 first.
        let ordered = [
            Self.entry("a", .put(1), 0, 1, 2), Self.entry("b", .put(2), 0, 3, 4), Self.entry("c", .get, 2, 5, 6),
        ]
        let violation = LinearizabilityChecker.check(ordered, against: spec)
        #expect(violation != nil)
        #expect(violation?.description.contains("c  get() → 2  [5, 6]") == true, "\(String(describing: violation))")
        #expect(violation?.longestPrefix == ["a  put(1) → 0  [1, 2]", "b  put(2) → 0  [3, 4]"])
    }

    @Test func aValueNobodyPutIsAViolation() {
        let history = [Self.entry("a", .put(1), 0, 1, 2), Self.entry("b", .get, 7, 3, 4)]
        #expect(LinearizabilityChecker.check(history, against: Self.buffer(capacity: 2)) != nil)
    }

    @Test func blockingOperationsTakeEffectOnlyWhenEnabled() {
        let spec = Self.buffer(capacity: 1)
        // The second put returned only after the get made room: fine.
        let waited = [
            Self.entry("a", .put(1), 0, 1, 2), Self.entry("b", .put(2), 0, 3, 8), Self.entry("c", .get, 1, 4, 5),
        ]
        #expect(LinearizabilityChecker.check(waited, against: spec) == nil)
        // Both puts returned with no get in between: the buffer held two items (overflow).
        let overflow = [Self.entry("a", .put(1), 0, 1, 2), Self.entry("b", .put(2), 0, 3, 4)]
        #expect(LinearizabilityChecker.check(overflow, against: spec) != nil)
    }

    @Test func pendingOperationsMayOrMayNotHaveTakenEffect() {
        let spec = Self.buffer(capacity: 2)
        // A put still blocked at the end, yet its item was taken: it took effect.
        let tookEffect = [Self.entry("a", .put(5), nil, 1, nil), Self.entry("b", .get, 5, 2, 3)]
        #expect(LinearizabilityChecker.check(tookEffect, against: spec) == nil)
        // A get still blocked at the end on an empty buffer: it did not.
        let blocked = [Self.entry("a", .get, nil, 1, nil), Self.entry("b", .put(1), 0, 2, 3)]
        #expect(LinearizabilityChecker.check(blocked, against: spec) == nil)
    }

    /// Bugs of the test buffer.
    enum Bug { case none, recheckGap, racyGet }

    /// A lock-and-conditions buffer. `recheckGap` drops the lock between seeing room and
    /// appending; `racyGet` drops it between reading the front item and removing it.
    final class Buffer: @unchecked Sendable {
        // Safety: only under the controlled engine; the state is runtime objects.
        let lock = Lock(name: "buffer")
        let notFull: Condition
        let notEmpty: Condition
        let items = Shared<[Int]>([], name: "items")
        let capacity: Int
        let bug: Bug

        init(capacity: Int, bug: Bug) {
            notFull = Condition(lock: lock, name: "notFull")
            notEmpty = Condition(lock: lock, name: "notEmpty")
            self.capacity = capacity
            self.bug = bug
        }

        func put(_ value: Int) {
            lock.lock()
            while items.load().count >= capacity { notFull.wait() }
            if bug == .recheckGap {
                lock.unlock()
                lock.lock()
            }
            items.store(items.load() + [value])
            notEmpty.signal()
            lock.unlock()
        }

        func get() -> Int {
            lock.lock()
            while items.load().isEmpty { notEmpty.wait() }
            let value = items.load()[0]
            if bug == .racyGet {
                lock.unlock()
                lock.lock()
            }
            items.store(Array(items.load().dropFirst()))
            notFull.signal()
            lock.unlock()
            return value
        }
    }

    /// Two producers and two consumers, two items each, on a capacity-2 buffer.
    static func traffic(_ bug: Bug) -> Scenario {
        let history = History<Op, Int>()
        return Scenario(
            run: {
                let buffer = Buffer(capacity: 2, bug: bug)
                let producers = (0..<2).map { p in
                    Runtime.spawn(name: "p\(p)") {
                        for i in 0..<2 {
                            let value = p * 10 + i
                            history.call(.put(value)) { buffer.put(value); return 0 }
                        }
                    }
                }
                let consumers = (0..<2).map { c in
                    Runtime.spawn(name: "c\(c)") { for _ in 0..<2 { history.call(.get) { buffer.get() } } }
                }
                for handle in producers + consumers { handle.join() }
            },
            verify: { _ in LinearizabilityChecker.check(history.entries, against: Self.buffer(capacity: 2)).map(\.description) })
    }

    /// Three producers, one item each, on a capacity-1 buffer with no consumer: two must stay blocked.
    static func producersOnly(_ bug: Bug) -> Scenario {
        let history = History<Op, Int>()
        return Scenario(
            run: {
                let buffer = Buffer(capacity: 1, bug: bug)
                for p in 0..<3 {
                    _ = Runtime.spawn(name: "p\(p)") { history.call(.put(p)) { buffer.put(p); return 0 } }
                }
            },
            verify: { _ in LinearizabilityChecker.check(history.entries, against: Self.buffer(capacity: 1)).map(\.description) })
    }

    static func explore(_ make: @escaping () -> Scenario, blockedAtEnd: Bool = false) -> ExplorationResult {
        var plan = ExplorationPlan(strategy: .random, seed: 5, schedules: 1_000)
        plan.options.allowBlockedAtEnd = blockedAtEnd
        return Explorer.exploreScenarios(plan, makeScenario: make)
    }

    @Test func aCorrectBufferIsLinearizableInEverySchedule() {
        for (name, result) in [("traffic", Self.explore { Self.traffic(.none) }),
                               ("producers only", Self.explore({ Self.producersOnly(.none) }, blockedAtEnd: true))] {
            #expect(result.failure == nil, "\(name): \(result.failure?.report.failure?.description ?? "")")
        }
    }

    @Test func aBufferThatHandsOutAnItemTwiceIsNotLinearizable() throws {
        let failure = try #require(Self.explore { Self.traffic(.racyGet) }.failure)
        let message = failure.report.failure?.description ?? ""
        #expect(message.contains("not linearizable"), "\(message)")
        #expect(message.contains("none of these can come next"))
    }

    @Test func aBufferThatOverflowsIsNotLinearizable() throws {
        let failure = try #require(Self.explore({ Self.producersOnly(.recheckGap) }, blockedAtEnd: true).failure)
        #expect(failure.report.failure?.description.contains("not linearizable") == true)
    }
}
