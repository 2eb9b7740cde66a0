import SyncPrimitives
import TurnstileRuntime

/// The bounded buffer as a monitor: the queue lives inside a ``Monitor``, with one condition
/// for "not full" and one for "not empty".
///
/// A producer enters, waits on `notFull` until there is room, appends, and signals
/// `notEmpty`; a consumer mirrors it. Two conditions and `signal` are enough: every `put`
/// makes exactly one item available, so waking one consumer suffices, and each waiter
/// rechecks its condition in a loop (Mesa semantics). With one shared condition and `signal`
/// the same code can deadlock (a producer can wake a producer), which the controlled engine's
/// corpus shows.
///
/// - Guarantees: no item lost or duplicated; per-producer FIFO; no deadlock. No fairness
///   among waiting producers (or consumers).
/// - Blocking: `put` sleeps while full, `take` while empty.
/// - Memory ordering: that of the monitor's lock.
public final class MonitorBoundedBuffer<Element>: BoundedBuffer, Sendable {
    /// The most items the buffer holds at once (at least 1), fixed at creation.
    public let capacity: Int
    @usableFromInline let monitor: Monitor<Ring<Element>>
    @usableFromInline let notFull: MonitorCondition
    @usableFromInline let notEmpty: MonitorCondition

    /// Creates an empty buffer for `capacity` items (at least 1).
    public init(capacity: Int, name: String = "buffer") {
        precondition(capacity >= 1, "a bounded buffer holds at least one item")
        self.capacity = capacity
        monitor = Monitor(Ring(capacity: capacity), name: name)
        notFull = monitor.makeCondition(name: "\(name).notFull")
        notEmpty = monitor.makeCondition(name: "\(name).notEmpty")
    }

    /// Appends `item`, sleeping while the buffer is full.
    @inlinable
    public func put(_ item: Element, file: StaticString = #fileID, line: UInt = #line) {
        monitor.withMonitor(file: file, line: line) { scope in
            scope.wait(notFull, until: { !$0.isFull }, file: file, line: line)
            scope.state.append(item)
            scope.signal(notEmpty, file: file, line: line)
        }
    }

    /// Removes the oldest item, sleeping while the buffer is empty.
    @inlinable
    public func take(file: StaticString = #fileID, line: UInt = #line) -> Element {
        monitor.withMonitor(file: file, line: line) { scope in
            scope.wait(notEmpty, until: { !$0.isEmpty }, file: file, line: line)
            let item = scope.state.removeFirst()
            scope.signal(notFull, file: file, line: line)
            return item
        }
    }

    /// Items in the buffer now (a snapshot).
    public var count: Int { monitor.withMonitor { $0.state.count } }
}

/// A fixed-capacity ring of items (not thread-safe; a monitor guards it).
public struct Ring<Element> {
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    @usableFromInline var _count = 0
    /// Items held.
    @inlinable public var count: Int { _count }

    /// Creates an empty ring for `capacity` items.
    public init(capacity: Int) {
        storage = Array(repeating: nil, count: capacity)
    }

    /// Whether no item is held.
    @inlinable public var isEmpty: Bool { count == 0 }
    /// Whether every slot is taken.
    @inlinable public var isFull: Bool { count == storage.count }

    /// Appends `item`. - Precondition: not full.
    @inlinable
    public mutating func append(_ item: Element) {
        precondition(!isFull, "append to a full ring")
        var tail = head + count
        if tail >= storage.count { tail -= storage.count }
        storage[tail] = item
        _count += 1
    }

    /// Removes and returns the oldest item. - Precondition: not empty.
    @inlinable
    public mutating func removeFirst() -> Element {
        precondition(!isEmpty, "removeFirst from an empty ring")
        let item = storage[head].take()!
        head = head + 1 == storage.count ? 0 : head + 1
        _count -= 1
        return item
    }
}
