import TurnstileRuntime

/// A reusable barrier with chain-reaction turnstiles: each thread through a turnstile lets the
/// next one through; the last in opens the first and locks the second, the last out the reverse.
public final class Barrier: @unchecked Sendable {
    private let parties: Int
    private let mutex = Semaphore(value: 1)
    private let turnstile = Semaphore(value: 0)
    private let turnstile2 = Semaphore(value: 1)
    private let count = Shared(0, name: "count")

    public init(parties: Int) { self.parties = parties }

    public func arriveAndWait() {
        mutex.wait()
        count.store(count.load() + 1)
        if count.load() == parties {
            turnstile2.wait()
            turnstile.signal()
        }
        mutex.signal()
        turnstile.wait()
        turnstile.signal()

        mutex.wait()
        count.store(count.load() - 1)
        if count.load() == 0 {
            turnstile.wait()
            turnstile2.signal()
        }
        mutex.signal()
        turnstile2.wait()
        turnstile2.signal()
    }
}
