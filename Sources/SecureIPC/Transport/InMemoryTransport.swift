import Foundation

/// One end of an in-memory, in-process message pipe: for tests and for putting an attacker in
/// the middle (the test holds both ends of two pairs and decides what to forward).
///
/// `send` never blocks (the queue is unbounded); `receive` blocks until a message arrives, the
/// peer closes, or the timeout passes.
public final class InMemoryTransport: MessageTransport, @unchecked Sendable {
    // Safe to share: every mutable field lives in `Queue`, which guards it with an NSCondition.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var messages: [[UInt8]] = []
        var head = 0
        var closed = false
    }

    private let inbound: Queue
    private let outbound: Queue
    private let timeout: TimeInterval

    private init(inbound: Queue, outbound: Queue, timeout: TimeInterval) {
        self.inbound = inbound
        self.outbound = outbound
        self.timeout = timeout
    }

    /// Makes two connected ends.
    /// - Parameter timeout: how long `receive` waits before throwing ``TransportError/timedOut``.
    public static func makePair(timeout: TimeInterval = 10) -> (InMemoryTransport, InMemoryTransport) {
        let forward = Queue()
        let backward = Queue()
        return (
            InMemoryTransport(inbound: backward, outbound: forward, timeout: timeout),
            InMemoryTransport(inbound: forward, outbound: backward, timeout: timeout)
        )
    }

    /// Queues a message for the peer. Throws ``TransportError/closed`` after ``close()``.
    public func send(_ message: [UInt8]) throws {
        outbound.condition.lock()
        defer { outbound.condition.unlock() }
        guard !outbound.closed else { throw TransportError.closed }
        outbound.messages.append(message)
        outbound.condition.signal()
    }

    /// Takes the next message, waiting up to the timeout; `nil` once the peer closed and the
    /// queue is drained.
    public func receive() throws -> [UInt8]? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        inbound.condition.lock()
        defer { inbound.condition.unlock() }
        while inbound.head == inbound.messages.count {
            if inbound.closed { return nil }
            if !inbound.condition.wait(until: deadline) { throw TransportError.timedOut }
        }
        // Take the message out of its slot so the queue does not keep it alive until the next
        // compaction (holding many large messages, then freeing them at once, makes the
        // allocator trim and re-grow the heap).
        let message = inbound.messages[inbound.head]
        inbound.messages[inbound.head] = []
        inbound.head += 1
        if inbound.head > 64 && inbound.head * 2 > inbound.messages.count {
            inbound.messages.removeFirst(inbound.head)
            inbound.head = 0
        }
        return message
    }

    /// Number of messages waiting to be received (for tests).
    public var pendingCount: Int {
        inbound.condition.lock()
        defer { inbound.condition.unlock() }
        return inbound.messages.count - inbound.head
    }

    /// Closes the sending direction.
    public func close() {
        outbound.condition.lock()
        outbound.closed = true
        outbound.condition.broadcast()
        outbound.condition.unlock()
    }
}
