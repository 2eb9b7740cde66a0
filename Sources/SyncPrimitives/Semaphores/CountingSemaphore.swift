import Synchronization
import TurnstileRuntime

/// A counting semaphore: a count of permits with atomic `wait` (P, down) and `signal`
/// (V, up).
///
/// The course text's "integer variables with atomic wait/signal operations". `wait` takes a
/// permit, sleeping while there is none; `signal` returns one, waking a sleeper. A semaphore
/// has no owner: any thread may signal, which is what makes it a signalling tool (a producer
/// tells a consumer an item is ready) as well as a lock (created with one permit).
///
/// Two fairness policies:
/// - ``Fairness-swift.enum/barging`` (default, fastest): the count is one atomic integer. A
///   `wait` that finds a permit takes it with one compare-and-exchange; only a `wait` that
///   finds none goes to sleep on a runtime `Condition`, and a `signal` touches the sleeping
///   side only when the sleeper count says someone sleeps. A newly arriving thread may take a
///   permit before a woken sleeper: no bounded waiting.
/// - ``Fairness-swift.enum/fifo``: permits go to waiting threads strictly in the order they
///   started waiting. `signal` hands its permit directly to the longest waiter, and a `wait`
///   that arrives while others wait queues behind them even if a permit is free for an
///   instant. A waiter is overtaken by no later arrival (bound 0).
///
/// - Blocking: `wait` sleeps when no permit is available (natively, a barging `wait` first
///   polls for a few microseconds, as adaptive locks do, so a quick handoff between two
///   running threads never reaches the kernel); `tryWait` and `signal` never block.
/// - Engine: a semaphore belongs to the engine it was created under (checked in debug
///   builds). Natively the barging counters are touched directly; under the controlled engine
///   every step is a runtime operation and a scheduling point.
/// - Memory ordering: `signal` is releasing and a `wait` that takes its permit is acquiring,
///   so whatever the signaller wrote before `signal` is visible after the matching `wait`.
public final class CountingSemaphore: Sendable {
    /// Who gets a permit when several threads want one.
    public enum Fairness: Sendable, Hashable {
        /// Whoever grabs it first; fastest, may starve a waiter.
        case barging
        /// Strict arrival order of the waiting threads; no waiter is overtaken.
        case fifo
    }

    /// The policy chosen at creation.
    public let fairness: Fairness
    let controlled: Bool
    /// Barging, controlled engine: the available permits.
    let permits: AtomicInt
    /// Barging, controlled engine: threads that may be asleep (announced before they recheck
    /// `permits`).
    let sleeping: AtomicInt
    /// Barging, native engine: the same two counters.
    let nativePermits: Atomic<Int>
    let nativeSleeping = Atomic<Int>(0)
    let parking: Lock
    let wakeup: Condition
    /// FIFO: the queue and the free permits, touched only while holding `parking`.
    let queue: Shared<FIFOQueue>

    /// Polls of `permits` a native barging `wait` makes before it sleeps.
    static let nativePolls = 4_000

    /// Creates a semaphore holding `value` permits (at least 0).
    public init(value: Int, fairness: Fairness = .barging, name: String = "semaphore") {
        precondition(value >= 0, "a semaphore starts with zero or more permits, not \(value)")
        self.fairness = fairness
        controlled = Runtime.isControlled
        nativePermits = Atomic(value)
        permits = AtomicInt(value, name: "\(name).permits")
        sleeping = AtomicInt(0, name: "\(name).sleeping")
        parking = Lock(name: "\(name).lock")
        wakeup = Condition(lock: parking, name: "\(name).wakeup")
        queue = Shared(FIFOQueue(free: value), name: "\(name).queue")
    }

    /// Takes a permit, sleeping until one is available (P, down).
    public func wait(file: StaticString = #fileID, line: UInt = #line) {
        if fairness == .fifo {
            fifoWait(file: file, line: line)
            return
        }
        if take(firstLoad: .relaxed, file: file, line: line) { return }
        if !controlled {
            for _ in 0..<Self.nativePolls {
                if nativePermits.load(ordering: .relaxed) > 0, take(firstLoad: .relaxed, file: file, line: line) { return }
            }
        }
        waitSleeping(file: file, line: line)
    }

    /// Takes a permit if one is available now; never blocks.
    /// - Returns: whether a permit was taken. A `.fifo` semaphore refuses while others wait.
    public func tryWait(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        if fairness == .fifo { return fifoTryWait(file: file, line: line) }
        return take(firstLoad: .relaxed, file: file, line: line)
    }

    @inline(__always)
    private func take(firstLoad: MemoryOrdering, file: StaticString, line: UInt) -> Bool {
        assert(controlled == Runtime.isControlled, "a semaphore was used under another engine than the one it was created under")
        if !controlled {
            var seen =
                firstLoad == .relaxed
                ? nativePermits.load(ordering: .relaxed) : nativePermits.load(ordering: .sequentiallyConsistent)
            while seen > 0 {
                let result = nativePermits.compareExchange(expected: seen, desired: seen - 1, ordering: .acquiring)
                if result.exchanged { return true }
                seen = result.original
            }
            return false
        }
        var seen = permits.load(ordering: firstLoad, file: file, line: line)
        while seen > 0 {
            let result = permits.compareExchange(
                expected: seen, desired: seen - 1, ordering: .acquiring, file: file, line: line)
            if result.exchanged { return true }
            seen = result.original
        }
        return false
    }

    /// Returns a permit, waking a waiting thread if there is one (V, up).
    public func signal(file: StaticString = #fileID, line: UInt = #line) {
        if fairness == .fifo {
            fifoSignal(file: file, line: line)
            return
        }
        // Sequentially consistent on both sides: either this load sees a sleeper's
        // announcement, or that sleeper's recheck sees our permit.
        let someoneSleeps: Bool
        if controlled {
            permits.fetchAdd(1, ordering: .sequentiallyConsistent, file: file, line: line)
            someoneSleeps = sleeping.load(ordering: .sequentiallyConsistent, file: file, line: line) > 0
        } else {
            nativePermits.wrappingAdd(1, ordering: .sequentiallyConsistent)
            someoneSleeps = nativeSleeping.load(ordering: .sequentiallyConsistent) > 0
        }
        if someoneSleeps {
            // Passing through the lock waits until an announced sleeper really sleeps.
            parking.lock(file: file, line: line)
            parking.unlock(file: file, line: line)
            wakeup.signal(file: file, line: line)
        }
    }

    /// The permits available now (a snapshot; may be stale as soon as it returns).
    public var value: Int {
        if fairness == .fifo { return parking.withLock { queue.load().free } }
        return controlled ? permits.load(ordering: .relaxed) : nativePermits.load(ordering: .relaxed)
    }

    /// How many threads are waiting for a permit now (a snapshot, for diagnostics and tests).
    public var waitingCount: Int {
        if fairness == .fifo { return parking.withLock { queue.load().waiters.count } }
        return controlled ? sleeping.load(ordering: .relaxed) : nativeSleeping.load(ordering: .relaxed)
    }

    private func waitSleeping(file: StaticString, line: UInt) {
        parking.lock(file: file, line: line)
        announceSleeper(1, file: file, line: line)
        // The recheck's load is sequentially consistent, pairing with `signal`'s.
        while !take(firstLoad: .sequentiallyConsistent, file: file, line: line) {
            wakeup.wait(file: file, line: line)
        }
        announceSleeper(-1, file: file, line: line)
        parking.unlock(file: file, line: line)
    }

    private func announceSleeper(_ delta: Int, file: StaticString, line: UInt) {
        if controlled {
            sleeping.fetchAdd(delta, ordering: .sequentiallyConsistent, file: file, line: line)
        } else {
            nativeSleeping.wrappingAdd(delta, ordering: .sequentiallyConsistent)
        }
    }
}
