import TurnstileRuntime

/// A multiplex that counts who is inside under a mutex semaphore and queues the rest on a
/// second semaphore; leaving hands the place straight to a queued thread.
public final class Multiplex: @unchecked Sendable {
    private let limit: Int
    private let mutex = Semaphore(value: 1)
    private let queue = Semaphore(value: 0)
    private let inside = Shared(0, name: "inside")
    private let queued = Shared(0, name: "queued")

    public init(limit: Int) { self.limit = limit }

    public func enter() {
        mutex.wait()
        if inside.load() < limit {
            inside.store(inside.load() + 1)
            mutex.signal()
        } else {
            queued.store(queued.load() + 1)
            mutex.signal()
            queue.wait()
        }
    }

    public func leave() {
        mutex.wait()
        if queued.load() > 0 {
            // The place passes to a queued thread: `inside` stays the same.
            queued.store(queued.load() - 1)
            queue.signal()
        } else {
            inside.store(inside.load() - 1)
        }
        mutex.signal()
    }
}
