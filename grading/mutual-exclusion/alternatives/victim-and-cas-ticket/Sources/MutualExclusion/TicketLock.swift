import TurnstileRuntime

// A correct ticket lock written unlike the reference: tickets are drawn with a
// compare-exchange loop instead of fetch-add, and the holder passes the lock on by storing the
// next ticket number (only the holder writes `serving`); waiters yield on every spin.
public final class TicketLock: @unchecked Sendable {
    private let dispenser = AtomicInt(0, name: "dispenser")
    private let serving = AtomicInt(0, name: "serving")

    public init() {}

    public func lock() {
        var ticket = dispenser.load()
        while true {
            let drawn = dispenser.compareExchange(expected: ticket, desired: ticket + 1)
            if drawn.exchanged { break }
            ticket = drawn.original
        }
        while serving.load() != ticket { Runtime.yield() }
    }

    public func unlock() {
        serving.store(serving.load() + 1)
    }
}
