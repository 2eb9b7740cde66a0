/// A mutual-exclusion lock: the runtime's mutex.
///
/// - Blocking: ``lock(file:line:)`` blocks while another thread holds the lock.
/// - Fairness: none. Under the native engine waiters are woken in the order the kernel
///   chooses (pthread mutex); under the controlled engine the strategy decides, so every
///   order is explored.
/// - Memory ordering: acquiring on lock and releasing on unlock; a critical section sees
///   every write made before the previous unlock. Under the TSO simulation both drain the
///   store buffer, like x86's locked instructions.
/// - Not recursive: locking a lock the thread already holds deadlocks (the controlled engine
///   reports it as a deadlock).
public final class Lock: RuntimeObject, @unchecked Sendable {
    // Safety: the native path is a pthread mutex; the controlled fields are touched only by
    // the controlled scheduler, which runs one logical thread at a time.
    let native = PthreadMutex()
    var controlledOwner = -1

    /// Creates an unlocked lock; `name` appears in controlled traces.
    public init(name: String? = nil) {
        super.init(name: name, kind: "lock")
    }

    deinit {
        native.destroy()
    }

    /// Acquires the lock, blocking until it is free.
    public func lock(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.acquire(self, SourceLocation(file: file, line: line))
        } else {
            native.lock()
        }
    }

    /// Acquires the lock if it is free; never blocks.
    /// - Returns: whether the caller now holds the lock.
    public func tryLock(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        if let scheduler = ControlledScheduler.active {
            return scheduler.tryAcquire(self, SourceLocation(file: file, line: line))
        }
        return native.tryLock()
    }

    /// Releases the lock. The caller must hold it (the controlled engine reports misuse).
    public func unlock(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.release(self, SourceLocation(file: file, line: line))
        } else {
            native.unlock()
        }
    }

    /// Runs `body` holding the lock, and releases it however `body` exits.
    public func withLock<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) rethrows -> Result {
        lock(file: file, line: line)
        defer { unlock(file: file, line: line) }
        return try body()
    }
}

extension ControlledScheduler {
    func acquire(_ lock: Lock, _ location: SourceLocation) {
        decide(yielding: false)
        access(lock, write: true)
        let label = lock.controlledLabel(self)
        while lock.controlledOwner >= 0 {
            if lock.controlledOwner == current {
                fail(.deadlock, "\(threads[current].name) locks \(label) at \(location), which it already holds: the runtime's Lock is not recursive", waitFor: ["\(threads[current].name) → lock \(label) → held by itself"])
            }
            record(.blocked, label, location)
            threads[current].state = .blocked(.lock(lock))
            threads[current].waitingFor = lock
            decide(yielding: false)
            access(lock, write: true)
        }
        lock.controlledOwner = current
        threads[current].state = .runnable
        threads[current].waitingFor = nil
        threads[current].overtaken = 0
        drainCurrentBuffer()
        weakFence()
        record(.lock, label, location)
        if let bound = options.maxOvertakes { checkOvertakes(of: lock, bound: bound, label: label) }
    }

    /// Counts one overtake for every thread still waiting for `lock`, and fails past `bound`.
    private func checkOvertakes(of lock: Lock, bound: Int, label: String) {
        for thread in threads where thread.waitingFor === lock {
            thread.overtaken += 1
            if thread.overtaken > bound {
                fail(.starvation, "\(thread.name) waits for \(label) and was overtaken \(thread.overtaken) times (bound \(bound)); \(threads[current].name) got it last")
            }
        }
    }

    func tryAcquire(_ lock: Lock, _ location: SourceLocation) -> Bool {
        decide(yielding: false)
        access(lock, write: true)
        let label = lock.controlledLabel(self)
        guard lock.controlledOwner < 0 else {
            record(.tryLock, label + " (busy)", location)
            return false
        }
        lock.controlledOwner = current
        drainCurrentBuffer()
        weakFence()
        record(.tryLock, label, location)
        return true
    }

    func release(_ lock: Lock, _ location: SourceLocation) {
        decide(yielding: false)
        access(lock, write: true)
        let label = lock.controlledLabel(self)
        guard lock.controlledOwner == current else {
            let holder = lock.controlledOwner < 0 ? "nobody" : threads[lock.controlledOwner].name
            fail(.misuse, "\(threads[current].name) unlocks \(label) at \(location), but it is held by \(holder)")
        }
        releaseWithoutDecision(lock)
        record(.unlock, label, location)
    }

    /// Frees `lock`; the caller holds it. Its waiters become enabled because the lock is free
    /// (``LogicalThread/isRunnable``), and stay blocked: whichever the scheduler picks acquires it.
    func releaseWithoutDecision(_ lock: Lock) {
        drainCurrentBuffer()
        weakFence()
        lock.controlledOwner = -1
    }
}
