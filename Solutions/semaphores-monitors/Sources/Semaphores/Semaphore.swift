import TurnstileRuntime

/// A counting semaphore built as a monitor: one lock guards the count of permits, and one
/// condition lets waiters sleep until a permit may be theirs.
///
/// - Blocking: ``wait()`` sleeps while no permit is available to the caller; ``signal()``
///   never blocks.
/// - Fairness: `.barging` lets whoever gets the lock first take a free permit; `.fifo` hands
///   permits out in the order `wait()` was called (a ticket each, served in order), so no
///   waiter is overtaken by a later caller.
/// - Every wait is in a `while` loop: a wakeup may be spurious, or another thread may have
///   taken the permit first (Mesa semantics).
public final class Semaphore: @unchecked Sendable {
    // Safety: `permits`, `nextTicket` and `serving` are touched only while holding `lock`.
    /// Who gets a permit when several threads want one.
    public enum Fairness: Sendable {
        /// Whoever takes the lock first.
        case barging
        /// Strictly in the order the threads called `wait()`.
        case fifo
    }

    private let fairness: Fairness
    private let lock = Lock(name: "semaphore")
    private let permitFree: Condition
    private let permits: Shared<Int>
    /// FIFO: the next ticket to hand out, and the ticket whose turn it is.
    private let nextTicket = Shared(0, name: "nextTicket")
    private let serving = Shared(0, name: "serving")

    /// Creates a semaphore holding `value` permits.
    /// - Precondition: `value >= 0`.
    public init(value: Int, fairness: Fairness = .barging) {
        precondition(value >= 0, "a semaphore starts with zero or more permits")
        self.fairness = fairness
        permits = Shared(value, name: "permits")
        permitFree = Condition(lock: lock, name: "permitFree")
    }

    /// Takes a permit, sleeping until one is available (P, down).
    public func wait() {
        lock.lock()
        switch fairness {
        case .barging:
            while permits.load() == 0 {
                permitFree.wait()
            }
        case .fifo:
            let ticket = nextTicket.load()
            nextTicket.store(ticket + 1)
            while serving.load() != ticket || permits.load() == 0 {
                permitFree.wait()
            }
            serving.store(ticket + 1)
            // The next ticket holder may be asleep with a permit already free.
            permitFree.broadcast()
        }
        permits.store(permits.load() - 1)
        lock.unlock()
    }

    /// Returns a permit and wakes a waiter (V, up).
    public func signal() {
        lock.lock()
        permits.store(permits.load() + 1)
        switch fairness {
        case .barging: permitFree.signal()
        // Only the waiter holding the serving ticket may take it: wake all to let it find out.
        case .fifo: permitFree.broadcast()
        }
        lock.unlock()
    }
}
