import TurnstileRuntime

/// A bounded FIFO buffer shared by producer and consumer threads.
///
/// Your task: make `put` and `get` correct for any number of producers and consumers.
/// Read the assignment README first. Use only the runtime's types for anything shared
/// between threads: `Lock`, `Condition`, `Shared`, `AtomicInt`.
///
/// - `put(_:)` must block while the buffer holds `capacity` items.
/// - `get()` must block while the buffer is empty.
/// - Items leave in the order they entered (FIFO).
public final class BoundedBuffer<Element>: @unchecked Sendable {
    /// The most items the buffer holds at once.
    public let capacity: Int
    private let items = Shared<[Element]>([], name: "items")
    // TODO: add the synchronization you need (a lock, and conditions to wait on).

    /// Creates an empty buffer holding at most `capacity` items.
    public init(capacity: Int) {
        precondition(capacity > 0, "a bounded buffer needs room for at least one item")
        self.capacity = capacity
        // TODO: create your lock and conditions here.
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    public func put(_ item: Element) {
        // TODO: wait while full, append the item, wake a consumer.
        fatalError("TODO: implement BoundedBuffer.put")
    }

    /// Removes and returns the item at the front, waiting while the buffer is empty.
    public func get() -> Element {
        // TODO: wait while empty, remove the first item, wake a producer.
        fatalError("TODO: implement BoundedBuffer.get")
    }
}
