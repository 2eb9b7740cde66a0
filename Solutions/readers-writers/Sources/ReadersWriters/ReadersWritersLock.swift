import TurnstileRuntime

/// Who goes first when readers and writers both want the lock.
public enum Policy: Sendable {
    /// A reader enters whenever no writer is inside, even while writers wait.
    case readerPreference
    /// No reader enters while a writer waits; waiting writers go before waiting readers.
    case writerPreference
    /// Strict arrival order; readers arriving one after another enter together.
    case fair
}

/// A readers-writers lock: many readers at once, or one writer alone, admitted by a policy.
///
/// A monitor: one lock guards the counts, readers sleep on `readersMayGo` and writers on
/// `writersMayGo`. The fair policy hands out a ticket at arrival and admits tickets in order
/// (`serving`), so nobody is overtaken by a later arrival. Every wait is in a `while` loop.
public final class ReadersWritersLock: @unchecked Sendable {
    // Safety: every `Shared` here is touched only while holding `lock`.
    private let policy: Policy
    private let lock = Lock(name: "rwlock")
    private let readersMayGo: Condition
    private let writersMayGo: Condition
    private let readers = Shared(0, name: "readers")
    private let writing = Shared(false, name: "writing")
    private let waitingWriters = Shared(0, name: "waitingWriters")
    /// Fair policy: the next ticket to hand out, and the ticket whose turn it is.
    private let nextTicket = Shared(0, name: "nextTicket")
    private let serving = Shared(0, name: "serving")

    /// Creates an unlocked lock with `policy`.
    public init(policy: Policy) {
        self.policy = policy
        readersMayGo = Condition(lock: lock, name: "readersMayGo")
        writersMayGo = Condition(lock: lock, name: "writersMayGo")
    }

    /// Enters as a reader, waiting while the policy says a reader may not.
    public func lockRead() {
        lock.lock()
        if policy == .fair {
            let ticket = takeTicket()
            while serving.load() != ticket || writing.load() {
                readersMayGo.wait()
            }
            serving.store(ticket + 1)
            // The next in line may be a reader that can come in too.
            readersMayGo.broadcast()
        } else {
            while !readerMayEnter() {
                readersMayGo.wait()
            }
        }
        readers.store(readers.load() + 1)
        lock.unlock()
    }

    /// Leaves as a reader; the last one out lets a writer in.
    public func unlockRead() {
        lock.lock()
        readers.store(readers.load() - 1)
        if readers.load() == 0 {
            writersMayGo.broadcast()
        }
        lock.unlock()
    }

    /// Enters as the writer, waiting until it can be alone.
    public func lockWrite() {
        lock.lock()
        if policy == .fair {
            let ticket = takeTicket()
            while serving.load() != ticket || writing.load() || readers.load() > 0 {
                writersMayGo.wait()
            }
            serving.store(ticket + 1)
        } else {
            waitingWriters.store(waitingWriters.load() + 1)
            while writing.load() || readers.load() > 0 {
                writersMayGo.wait()
            }
            waitingWriters.store(waitingWriters.load() - 1)
        }
        writing.store(true)
        lock.unlock()
    }

    /// Leaves as the writer and lets the next party in.
    public func unlockWrite() {
        lock.lock()
        writing.store(false)
        readersMayGo.broadcast()
        writersMayGo.broadcast()
        lock.unlock()
    }

    private func readerMayEnter() -> Bool {
        switch policy {
        case .readerPreference: !writing.load()
        case .writerPreference: !writing.load() && waitingWriters.load() == 0
        case .fair: preconditionFailure("the fair policy admits by ticket")
        }
    }

    private func takeTicket() -> Int {
        let ticket = nextTicket.load()
        nextTicket.store(ticket + 1)
        return ticket
    }
}
