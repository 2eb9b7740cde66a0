/// A fixed-capacity FIFO queue shared by producers and consumers: the producer-consumer
/// problem of the course text.
///
/// `put` waits while the buffer is full, `take` while it is empty; every item put is taken
/// exactly once, and items from one producer come out in the order it put them.
public protocol BoundedBuffer<Element>: AnyObject, Sendable {
    /// What the buffer holds.
    associatedtype Element
    /// How many items fit.
    var capacity: Int { get }
    /// Appends `item`, waiting while the buffer is full.
    func put(_ item: Element, file: StaticString, line: UInt)
    /// Removes the oldest item, waiting while the buffer is empty.
    func take(file: StaticString, line: UInt) -> Element
}
