import TurnstileRuntime

/// A correct semaphore written another way than the reference: the textbook count that goes
/// negative (minus the number of sleepers), with wakeup tokens so a spurious wakeup takes
/// nothing; FIFO as a queue of per-waiter conditions with a direct handoff.
public final class Semaphore: @unchecked Sendable {
    public enum Fairness: Sendable {
        case barging
        case fifo
    }

    private final class Waiter: @unchecked Sendable {
        let turn: Condition
        let granted = Shared(false, name: "granted")
        init(_ lock: Lock) { turn = Condition(lock: lock, name: "turn") }
    }

    private let fairness: Fairness
    private let lock = Lock(name: "semaphore")
    private let wakeup: Condition
    /// Permits minus sleepers: negative while threads wait.
    private let value: Shared<Int>
    /// Sleepers that a signal has released and that have not yet gone.
    private let wakeups = Shared(0, name: "wakeups")
    private let line = Shared<[Waiter]>([], name: "line")

    public init(value: Int, fairness: Fairness = .barging) {
        self.fairness = fairness
        self.value = Shared(value, name: "value")
        wakeup = Condition(lock: lock, name: "wakeup")
    }

    public func wait() {
        lock.lock()
        value.store(value.load() - 1)
        if value.load() < 0 {
            switch fairness {
            case .barging:
                repeat { wakeup.wait() } while wakeups.load() == 0
                wakeups.store(wakeups.load() - 1)
            case .fifo:
                let me = Waiter(lock)
                line.store(line.load() + [me])
                while !me.granted.load() { me.turn.wait() }
            }
        }
        lock.unlock()
    }

    public func signal() {
        lock.lock()
        value.store(value.load() + 1)
        if value.load() <= 0 {
            switch fairness {
            case .barging:
                wakeups.store(wakeups.load() + 1)
                wakeup.signal()
            case .fifo:
                var waiting = line.load()
                let head = waiting.removeFirst()
                line.store(waiting)
                head.granted.store(true)
                head.turn.signal()
            }
        }
        lock.unlock()
    }
}
