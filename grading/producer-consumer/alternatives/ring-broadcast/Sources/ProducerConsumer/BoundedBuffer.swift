import TurnstileRuntime

// A correct buffer unlike the reference: a ring of optional slots with a head and a count,
// one condition for both directions, and broadcast after every change.

public final class BoundedBuffer<Element>: @unchecked Sendable {
    public let capacity: Int
    private let mutex = Lock(name: "ring")
    private let changed: Condition
    private let slots: Shared<[Element?]>
    private let state = Shared<Cursor>(Cursor(), name: "cursor")

    private struct Cursor { var head = 0; var count = 0 }

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        changed = Condition(lock: mutex, name: "changed")
        slots = Shared(Array(repeating: nil, count: capacity), name: "slots")
    }

    public func put(_ item: Element) {
        mutex.withLock {
            while state.load().count == capacity { changed.wait() }
            var cursor = state.load()
            var ring = slots.load()
            ring[(cursor.head + cursor.count) % capacity] = item
            slots.store(ring)
            cursor.count += 1
            state.store(cursor)
            changed.broadcast()
        }
    }

    public func get() -> Element {
        mutex.withLock {
            while state.load().count == 0 { changed.wait() }
            var cursor = state.load()
            var ring = slots.load()
            let item = ring[cursor.head]!
            ring[cursor.head] = nil
            slots.store(ring)
            cursor.head = (cursor.head + 1) % capacity
            cursor.count -= 1
            state.store(cursor)
            changed.broadcast()
            return item
        }
    }
}
