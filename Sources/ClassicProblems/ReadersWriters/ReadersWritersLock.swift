import SyncPrimitives
import TurnstileRuntime

/// A readers-writers lock: many readers at once, or one writer alone, with a chosen
/// ``ReadersWritersPolicy``.
///
/// Built as a ``Monitor`` over a small state record (readers inside, writer inside, writers
/// waiting, and for the fair policy a ticket queue), with one condition for readers and one
/// for writers.
///
/// ```swift
/// let lock = ReadersWritersLock(policy: .fair)
/// let total = lock.withReadLock { table.total }
/// lock.withWriteLock { table.insert(row) }
/// ```
///
/// - Guarantees: a writer is alone; readers exclude writers but not each other; no deadlock;
///   plus the policy's bound (see ``ReadersWritersPolicy``).
/// - Blocking: the lock methods sleep until they may enter; the unlock methods never block.
/// - Memory ordering: release on unlock, acquire on lock (through the monitor's lock), so a
///   reader sees everything the previous writer wrote.
/// - Not reentrant, not upgradable: a reader that asks for the write lock waits for itself.
public final class ReadersWritersLock: Sendable {
    struct State {
        var readers = 0
        var writing = false
        var waitingWriters = 0
        var nextTicket = 0
        var serving = 0
        /// Threads asleep on either condition (readers and writers).
        var sleeping = 0
    }

    /// The policy chosen at creation.
    public let policy: ReadersWritersPolicy
    let monitor: Monitor<State>
    let readersMayGo: MonitorCondition
    let writersMayGo: MonitorCondition
    let probe: (@Sendable (ReadersWritersEvent) -> Void)?

    /// Creates an unlocked lock; `name` appears in controlled traces.
    public convenience init(policy: ReadersWritersPolicy, name: String = "rwlock") {
        self.init(policy: policy, name: name, probe: nil)
    }

    package init(policy: ReadersWritersPolicy, name: String = "rwlock", probe: (@Sendable (ReadersWritersEvent) -> Void)?) {
        self.policy = policy
        monitor = Monitor(State(), name: name)
        readersMayGo = monitor.makeCondition(name: "\(name).readers")
        writersMayGo = monitor.makeCondition(name: "\(name).writers")
        self.probe = probe
    }

    /// Enters as a reader, sleeping while the policy says a reader may not.
    public func lockRead(file: StaticString = #fileID, line: UInt = #line) {
        let me = Runtime.currentThreadID
        monitor.withMonitor(file: file, line: line) { scope in
            probe?(.arrived(isWriter: false, thread: me))
            let ticket = takeTicket(scope)
            let mayEnter: (State) -> Bool
            switch policy {
            case .readerPreference: mayEnter = { !$0.writing }
            case .writerPreference: mayEnter = { !$0.writing && $0.waitingWriters == 0 }
            case .fair: mayEnter = { !$0.writing && $0.serving == ticket }
            }
            if !mayEnter(scope.state) {
                probe?(.blocked(isWriter: false, thread: me))
                scope.state.sleeping += 1
                scope.wait(readersMayGo, until: mayEnter, file: file, line: line)
                scope.state.sleeping -= 1
            }
            scope.state.readers += 1
            if policy == .fair {
                // The next in line may be a reader that can join us.
                scope.state.serving += 1
            }
            if policy == .fair && scope.state.sleeping > 0 {
                scope.broadcast(readersMayGo, file: file, line: line)
                scope.broadcast(writersMayGo, file: file, line: line)
            }
            probe?(.entered(isWriter: false, thread: me))
        }
    }

    /// Leaves as a reader; the last reader out lets a writer in.
    public func unlockRead(file: StaticString = #fileID, line: UInt = #line) {
        let me = Runtime.currentThreadID
        monitor.withMonitor(file: file, line: line) { scope in
            precondition(scope.state.readers > 0, "unlockRead without a matching lockRead")
            probe?(.left(isWriter: false, thread: me))
            scope.state.readers -= 1
            guard scope.state.readers == 0, scope.state.sleeping > 0 else { return }
            if policy == .fair {
                scope.broadcast(writersMayGo, file: file, line: line)
            } else {
                scope.signal(writersMayGo, file: file, line: line)
            }
        }
    }

    /// Enters as the writer, sleeping until it may be alone.
    public func lockWrite(file: StaticString = #fileID, line: UInt = #line) {
        let me = Runtime.currentThreadID
        monitor.withMonitor(file: file, line: line) { scope in
            probe?(.arrived(isWriter: true, thread: me))
            let ticket = takeTicket(scope)
            let mayEnter: (State) -> Bool =
                policy == .fair
                ? { !$0.writing && $0.readers == 0 && $0.serving == ticket }
                : { !$0.writing && $0.readers == 0 }
            if !mayEnter(scope.state) {
                probe?(.blocked(isWriter: true, thread: me))
                scope.state.waitingWriters += 1
                scope.state.sleeping += 1
                scope.wait(writersMayGo, until: mayEnter, file: file, line: line)
                scope.state.sleeping -= 1
                scope.state.waitingWriters -= 1
            }
            scope.state.writing = true
            if policy == .fair { scope.state.serving += 1 }
            probe?(.entered(isWriter: true, thread: me))
        }
    }

    /// Leaves as the writer and lets the next party in, as the policy orders.
    public func unlockWrite(file: StaticString = #fileID, line: UInt = #line) {
        let me = Runtime.currentThreadID
        monitor.withMonitor(file: file, line: line) { scope in
            precondition(scope.state.writing, "unlockWrite without a matching lockWrite")
            probe?(.left(isWriter: true, thread: me))
            scope.state.writing = false
            guard scope.state.sleeping > 0 else { return }
            switch policy {
            case .readerPreference:
                scope.broadcast(readersMayGo, file: file, line: line)
                scope.signal(writersMayGo, file: file, line: line)
            case .writerPreference:
                if scope.state.waitingWriters > 0 {
                    scope.signal(writersMayGo, file: file, line: line)
                } else {
                    scope.broadcast(readersMayGo, file: file, line: line)
                }
            case .fair:
                scope.broadcast(readersMayGo, file: file, line: line)
                scope.broadcast(writersMayGo, file: file, line: line)
            }
        }
    }

    /// Runs `body` as a reader.
    public func withReadLock<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) rethrows -> Result {
        lockRead(file: file, line: line)
        defer { unlockRead(file: file, line: line) }
        return try body()
    }

    /// Runs `body` as the writer.
    public func withWriteLock<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) rethrows -> Result {
        lockWrite(file: file, line: line)
        defer { unlockWrite(file: file, line: line) }
        return try body()
    }

    private func takeTicket(_ scope: Monitor<State>.Scope) -> Int {
        guard policy == .fair else { return 0 }
        defer { scope.state.nextTicket += 1 }
        return scope.state.nextTicket
    }
}
