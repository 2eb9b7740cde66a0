/// A condition variable with Mesa semantics, tied to one ``Lock``.
///
/// `wait` atomically releases the lock and sleeps; it returns holding the lock again after a
/// `signal`, a `broadcast`, or **spuriously**. Always wait in a loop that rechecks the
/// condition:
///
/// ```swift
/// lock.lock()
/// while items.isEmpty { notEmpty.wait() }
/// ```
///
/// - Blocking: `wait` blocks; `signal` and `broadcast` never block.
/// - Fairness: none. A signalled waiter competes for the lock with every other thread, and
///   may find the condition false again (Mesa, not Hoare). The controlled engine lets its
///   strategy pick which waiter `signal` wakes, and injects spurious wakeups.
/// - Memory ordering: that of the lock (release on wait, acquire on wake).
public final class Condition: RuntimeObject, @unchecked Sendable {
    // Safety: the native path is a pthread condition used with the lock's pthread mutex;
    // `waiters` is touched only by the controlled scheduler (one logical thread at a time).
    /// The lock this condition is used with.
    public let lock: Lock
    let native = PthreadCondition()
    var waiters: [Int] = []

    /// Creates a condition variable used with `lock`; `name` appears in controlled traces.
    public init(lock: Lock, name: String? = nil) {
        self.lock = lock
        super.init(name: name, kind: "condition")
    }

    deinit {
        native.destroy()
    }

    /// Releases the lock, waits, and reacquires the lock before returning.
    /// - Precondition: the caller holds ``lock``.
    public func wait(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.wait(on: self, SourceLocation(file: file, line: line))
        } else {
            native.wait(lock.native)
        }
    }

    /// Wakes at least one waiting thread, if any waits.
    public func signal(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.signal(self, all: false, SourceLocation(file: file, line: line))
        } else {
            native.signal()
        }
    }

    /// Wakes every waiting thread.
    public func broadcast(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.signal(self, all: true, SourceLocation(file: file, line: line))
        } else {
            native.broadcast()
        }
    }
}

extension ControlledScheduler {
    func wait(on condition: Condition, _ location: SourceLocation) {
        decide(yielding: false)
        access(condition, write: true)
        access(condition.lock, write: true)
        let label = condition.controlledLabel(self)
        let lock = condition.lock
        guard lock.controlledOwner == current else {
            fail(.misuse, "\(threads[current].name) waits on \(label) at \(location) without holding its lock \(lock.controlledLabel(self))")
        }
        if takeSpuriousWakeup() {
            releaseWithoutDecision(lock)
            record(.spuriousWakeup, label, location)
            acquire(lock, location)
            return
        }
        releaseWithoutDecision(lock)
        condition.waiters.append(current)
        threads[current].state = .blocked(.condition(condition))
        record(.wait, label, location)
        decide(yielding: false)
        // Woken: the step that resumes is ordered after the signal that made it runnable.
        access(condition, write: true)
        record(.wake, label, location)
        acquire(lock, location)
    }

    func signal(_ condition: Condition, all: Bool, _ location: SourceLocation) {
        decide(yielding: false)
        access(condition, write: true)
        let label = condition.controlledLabel(self)
        if all {
            for id in condition.waiters { threads[id].state = .runnable }
            condition.waiters.removeAll()
            record(.broadcast, label, location)
        } else {
            if !condition.waiters.isEmpty {
                let index = decideData(condition.waiters.map { .wake($0) }, kind: .wakeOne)
                let id = condition.waiters.remove(at: index)
                threads[id].state = .runnable
            }
            record(.signal, label, location)
        }
    }
}
