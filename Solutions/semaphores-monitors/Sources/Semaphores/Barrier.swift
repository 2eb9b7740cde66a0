import TurnstileRuntime

/// A reusable barrier for a fixed number of threads, built from semaphores alone: nobody
/// leaves ``arriveAndWait()`` until all have arrived, and the same barrier serves round after
/// round.
///
/// The two-phase construction: a mutex semaphore guards the count; the last thread in opens
/// the first turnstile (one permit per party), the last thread out opens the second. Nobody
/// can start the next round until everyone has passed the second turnstile of this one, so a
/// fast thread cannot take a permit meant for a slow one.
public final class Barrier: @unchecked Sendable {
    // Safety: `count` is touched only while holding the `mutex` semaphore.
    private let parties: Int
    private let mutex = Semaphore(value: 1)
    private let turnstile = Semaphore(value: 0)
    private let turnstile2 = Semaphore(value: 0)
    private let count = Shared(0, name: "count")

    /// Creates a barrier for `parties` threads.
    /// - Precondition: `parties > 0`.
    public init(parties: Int) {
        precondition(parties > 0, "a barrier needs at least one party")
        self.parties = parties
    }

    /// Waits until all `parties` threads have called this in the current round.
    public func arriveAndWait() {
        mutex.wait()
        count.store(count.load() + 1)
        if count.load() == parties {
            for _ in 0..<parties { turnstile.signal() }
        }
        mutex.signal()
        turnstile.wait()

        mutex.wait()
        count.store(count.load() - 1)
        if count.load() == 0 {
            for _ in 0..<parties { turnstile2.signal() }
        }
        mutex.signal()
        turnstile2.wait()
    }
}
