import TurnstileRuntime

public enum Policy: Sendable {
    case readerPreference
    case writerPreference
    case fair
}

/// A correct lock written another way than the reference: the preference policies share one
/// condition woken by broadcast; the fair policy keeps a line of waiters, each with its own
/// condition, and whoever frees the lock admits the head of the line (one writer, or every
/// reader up to the next writer), counts them inside on their behalf and wakes exactly them.
public final class ReadersWritersLock: @unchecked Sendable {
    private final class Waiter: @unchecked Sendable {
        let isWriter: Bool
        let admitted = Shared(false, name: "admitted")
        let turn: Condition
        init(isWriter: Bool, lock: Lock) {
            self.isWriter = isWriter
            turn = Condition(lock: lock, name: "turn")
        }
    }

    private let policy: Policy
    private let lock = Lock(name: "rwlock")
    private let changed: Condition
    private let readers = Shared(0, name: "readers")
    private let writers = Shared(0, name: "writers")
    private let writersWaiting = Shared(0, name: "writersWaiting")
    private let line = Shared<[Waiter]>([], name: "line")

    public init(policy: Policy) {
        self.policy = policy
        changed = Condition(lock: lock, name: "changed")
    }

    public func lockRead() {
        lock.lock()
        defer { lock.unlock() }
        switch policy {
        case .readerPreference:
            while writers.load() > 0 { changed.wait() }
            readers.store(readers.load() + 1)
        case .writerPreference:
            while writers.load() > 0 || writersWaiting.load() > 0 { changed.wait() }
            readers.store(readers.load() + 1)
        case .fair:
            if line.load().isEmpty && writers.load() == 0 {
                readers.store(readers.load() + 1)
            } else {
                waitInLine(isWriter: false)
            }
        }
    }

    public func unlockRead() {
        lock.lock()
        defer { lock.unlock() }
        readers.store(readers.load() - 1)
        if policy == .fair {
            admit()
        } else if readers.load() == 0 {
            changed.broadcast()
        }
    }

    public func lockWrite() {
        lock.lock()
        defer { lock.unlock() }
        if policy == .fair {
            if line.load().isEmpty && writers.load() == 0 && readers.load() == 0 {
                writers.store(1)
            } else {
                waitInLine(isWriter: true)
            }
            return
        }
        writersWaiting.store(writersWaiting.load() + 1)
        while writers.load() > 0 || readers.load() > 0 { changed.wait() }
        writersWaiting.store(writersWaiting.load() - 1)
        writers.store(1)
    }

    public func unlockWrite() {
        lock.lock()
        defer { lock.unlock() }
        writers.store(0)
        if policy == .fair {
            admit()
        } else {
            changed.broadcast()
        }
    }

    /// Joins the back of the line and sleeps until admitted (already counted inside).
    private func waitInLine(isWriter: Bool) {
        let me = Waiter(isWriter: isWriter, lock: lock)
        line.store(line.load() + [me])
        while !me.admitted.load() { me.turn.wait() }
    }

    /// Admits from the head of the line whoever may enter now.
    private func admit() {
        var waiting = line.load()
        while let head = waiting.first, writers.load() == 0 {
            if head.isWriter {
                guard readers.load() == 0 else { break }
                writers.store(1)
            } else {
                readers.store(readers.load() + 1)
            }
            waiting.removeFirst()
            head.admitted.store(true)
            head.turn.signal()
        }
        line.store(waiting)
    }
}
