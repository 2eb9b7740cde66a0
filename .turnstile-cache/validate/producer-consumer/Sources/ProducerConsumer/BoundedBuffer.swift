import TurnstileRuntime

/// A bounded FIFO buffer shared by producer and consumer threads (the course's
/// producer-consumer problem).
///
/// - Blocking: ``put(_:)`` blocks while the buffer holds `capacity` items; ``get()`` blocks
///   while it is empty.
/// - Ordering: items leave in the order they entered (FIFO), so each producer's items reach
///   consumers in the order it put them.
/// - Synchronization: one lock guards the items; two conditions, `notFull` and `notEmpty`,
///   let each side sleep until the other has made room or an item. Every wait is in a
///   `while` loop because a wakeup may be spurious or stolen (Mesa semantics).
public final class BoundedBuffer<Element>: @unchecked Sendable {
    // Safety: every access to `items` holds `lock`.
    /// The most items the buffer holds at once.
    public let capacity: Int
    private let lock = Lock(name: "buffer")
    private let notFull: Condition
    private let notEmpty: Condition
    private let items = Shared<[Element]>([], name: "items")

    /// Creates an empty buffer holding at most `capacity` items.
    /// - Precondition: `capacity > 0`.
    public init(capacity: Int) {
        precondition(capacity > 0, "a bounded buffer needs room for at least one item")
        self.capacity = capacity
        notFull = Condition(lock: lock, name: "notFull")
        notEmpty = Condition(lock: lock, name: "notEmpty")
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    public func put(_ item: Element) {
        lock.lock()
        while items.load().count >= capacity {
            notFull.wait()
        }
        // MUTANT: the lock is dropped between the capacity check and the append.
        lock.unlock()
        lock.lock()
        var current = items.load()
        current.append(item)
        items.store(current)
        notEmpty.signal()
        lock.unlock()
    }

    /// Removes and returns the item at the front, waiting while the buffer is empty.
    public func get() -> Element {
        lock.lock()
        while items.load().isEmpty {
            notEmpty.wait()
        }
        var current = items.load()
        let item = current.removeFirst()
        items.store(current)
        notFull.signal()
        lock.unlock()
        return item
    }
}
