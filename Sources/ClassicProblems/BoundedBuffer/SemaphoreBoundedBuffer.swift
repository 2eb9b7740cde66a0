import SyncPrimitives
import TurnstileRuntime

/// The bounded buffer built from semaphores: one counts empty slots, one counts full slots,
/// and a mutex on each end guards that end's index.
///
/// The textbook solution: a producer waits on `emptySlots`, fills a slot, signals
/// `fullSlots`; a consumer does the reverse. The two semaphores track the empty and full
/// slots, so a producer and a consumer never touch the same slot at once, and each side needs
/// a mutex only against its own kind (`putLock` among producers, `takeLock` among consumers);
/// one producer and one consumer never wait for each other's lock.
///
/// - Guarantees: no item lost or duplicated; a full buffer blocks producers and an empty one
///   consumers; per-producer FIFO. No deadlock. Fairness is that of the barging
///   ``CountingSemaphore`` and ``OwnedMutex``: none.
/// - Blocking: `put` sleeps while the buffer is full, `take` while it is empty.
/// - Memory ordering: a slot written before `fullSlots.signal()` is read after the matching
///   `fullSlots.wait()` (release/acquire through the semaphore).
public final class SemaphoreBoundedBuffer<Element>: BoundedBuffer, @unchecked Sendable {
    // Safety: `slots[i]` is written by the one producer that claimed slot i (under `putLock`,
    // after `emptySlots.wait()`) and read by the one consumer that claimed it (under
    // `takeLock`, after `fullSlots.wait()`); the semaphores order the two accesses.
    // `putIndex`/`takeIndex` are touched only under their lock.
    /// The most items the buffer holds at once (at least 1), fixed at creation.
    public let capacity: Int
    private let slots: UnsafeMutablePointer<Element?>
    private let emptySlots: CountingSemaphore
    private let fullSlots: CountingSemaphore
    private let putLock: OwnedMutex
    private let takeLock: OwnedMutex
    private var putIndex = 0
    private var takeIndex = 0

    /// Creates an empty buffer for `capacity` items (at least 1).
    public init(capacity: Int, name: String = "buffer") {
        precondition(capacity >= 1, "a bounded buffer holds at least one item")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        emptySlots = CountingSemaphore(value: capacity, name: "\(name).empty")
        fullSlots = CountingSemaphore(value: 0, name: "\(name).full")
        putLock = OwnedMutex(name: "\(name).putLock")
        takeLock = OwnedMutex(name: "\(name).takeLock")
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// Appends `item`, sleeping while the buffer is full.
    public func put(_ item: Element, file: StaticString = #fileID, line: UInt = #line) {
        emptySlots.wait(file: file, line: line)
        // Cannot throw: this thread does not hold putLock here.
        try! putLock.lock(file: file, line: line)
        slots[putIndex] = item
        putIndex = putIndex + 1 == capacity ? 0 : putIndex + 1
        try! putLock.unlock(file: file, line: line)
        fullSlots.signal(file: file, line: line)
    }

    /// Removes the oldest item, sleeping while the buffer is empty.
    public func take(file: StaticString = #fileID, line: UInt = #line) -> Element {
        fullSlots.wait(file: file, line: line)
        try! takeLock.lock(file: file, line: line)
        let item = slots[takeIndex].take()!
        takeIndex = takeIndex + 1 == capacity ? 0 : takeIndex + 1
        try! takeLock.unlock(file: file, line: line)
        emptySlots.signal(file: file, line: line)
        return item
    }

    /// Items in the buffer now (a snapshot).
    public var count: Int { fullSlots.value }
}
