import CheckKit
import TurnstileRuntime

/// Bounded-buffer mistakes: no lock, `if` instead of `while`, one condition with `signal`.
enum BufferCorpus {
    enum Variant { case correct, noLock, ifInsteadOfWhile, singleConditionSignal }

    /// A tiny bounded buffer written four ways.
    final class Buffer: @unchecked Sendable {
        // Safety: shared state is in runtime objects; the variant decides how it is protected.
        let variant: Variant
        let capacity: Int
        let items = Shared<[Int]>([], name: "items")
        let lock = Lock(name: "buffer")
        let notFull: Condition
        let notEmpty: Condition

        init(_ variant: Variant, capacity: Int) {
            self.variant = variant
            self.capacity = capacity
            notFull = Condition(lock: lock, name: "notFull")
            notEmpty = variant == .singleConditionSignal ? notFull : Condition(lock: lock, name: "notEmpty")
        }

        func put(_ item: Int) {
            if variant == .noLock {
                while items.load().count >= capacity { Runtime.spinHint() }
                items.store(items.load() + [item])
                return
            }
            lock.lock()
            if variant == .ifInsteadOfWhile {
                if items.load().count >= capacity { notFull.wait() }
            } else {
                while items.load().count >= capacity { notFull.wait() }
            }
            require(items.load().count < capacity, "put into a full buffer (capacity \(capacity))")
            items.store(items.load() + [item])
            if variant == .correct { notEmpty.broadcast() } else { notEmpty.signal() }
            lock.unlock()
        }

        func get() -> Int {
            if variant == .noLock {
                while items.load().isEmpty { Runtime.spinHint() }
                let current = items.load()
                items.store(Array(current.dropFirst()))
                return current[0]
            }
            lock.lock()
            if variant == .ifInsteadOfWhile {
                if items.load().isEmpty { notEmpty.wait() }
            } else {
                while items.load().isEmpty { notEmpty.wait() }
            }
            let current = items.load()
            require(!current.isEmpty, "get from an empty buffer: a waiter went on without rechecking its condition")
            items.store(Array(current.dropFirst()))
            if variant == .correct { notFull.broadcast() } else { notFull.signal() }
            lock.unlock()
            return current.first ?? -1
        }
    }

    /// `producers` producers put `perProducer` items each, consumers share the total; every
    /// item must arrive exactly once.
    static func scenario(_ variant: Variant, capacity: Int, producers: Int, consumers: Int, perProducer: Int) -> Scenario {
        Scenario(run: {
            let buffer = Buffer(variant, capacity: capacity)
            let total = producers * perProducer
            precondition(total % consumers == 0)
            let received = ControlledBox<[Int]>([])
            var threads: [ThreadHandle] = []
            for p in 0..<producers {
                threads.append(Runtime.spawn(name: "producer-\(p)") {
                    for i in 0..<perProducer { buffer.put(p * 1000 + i) }
                })
            }
            for c in 0..<consumers {
                threads.append(Runtime.spawn(name: "consumer-\(c)") {
                    for _ in 0..<(total / consumers) { received.value.append(buffer.get()) }
                })
            }
            for thread in threads { thread.join() }
            let expected = (0..<producers).flatMap { p in (0..<perProducer).map { p * 1000 + $0 } }
            require(received.value.sorted() == expected.sorted(), "items lost or duplicated: sent \(expected.sorted()), received \(received.value.sorted())")
        })
    }
}
