import SyncPrimitives
import TurnstileRuntime

/// A readers-writers lock: many readers at once, or one writer alone, with a chosen
/// ``ReadersWritersPolicy``.
///
/// Built as a ``Monitor`` over a small state record (readers inside, writer inside, readers
/// and writers waiting). Reader and writer preference wait on one condition for readers and
/// one for writers, and wake only the side that may enter (one writer, or all readers). The
/// fair policy keeps a line of waiting threads in arrival order, each with its own condition:
/// whoever frees the lock admits the head of the line (one writer, or the run of readers up to
/// the next writer), counts them inside on their behalf, and wakes exactly them.
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
        /// Readers and writers asleep (reader and writer preference).
        var waitingReaders = 0
        var waitingWriters = 0
        /// The fair policy's waiting threads, in arrival order.
        var queue = ArrivalQueue()
    }

    /// The policy chosen at creation.
    public let policy: ReadersWritersPolicy
    let name: String
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
        self.name = name
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
            if policy == .fair {
                if scope.state.queue.isEmpty && !scope.state.writing {
                    scope.state.readers += 1
                    probe?(.entered(isWriter: false, thread: me))
                } else {
                    waitInLine(scope, isWriter: false, thread: me, file: file, line: line)
                }
                return
            }
            let mayEnter: (State) -> Bool =
                policy == .readerPreference
                ? { !$0.writing }
                : { !$0.writing && $0.waitingWriters == 0 }
            if !mayEnter(scope.state) {
                probe?(.blocked(isWriter: false, thread: me))
                scope.state.waitingReaders += 1
                scope.wait(readersMayGo, until: mayEnter, file: file, line: line)
                scope.state.waitingReaders -= 1
            }
            scope.state.readers += 1
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
            guard scope.state.readers == 0 else { return }
            if policy == .fair {
                admitFromLine(scope, file: file, line: line)
            } else if scope.state.waitingWriters > 0 {
                // Readers never wait while no writer is inside or waiting, so only a writer
                // can be waiting for the lock to empty; one writer is all that may enter.
                scope.signal(writersMayGo, file: file, line: line)
            }
        }
    }

    /// Enters as the writer, sleeping until it may be alone.
    public func lockWrite(file: StaticString = #fileID, line: UInt = #line) {
        let me = Runtime.currentThreadID
        monitor.withMonitor(file: file, line: line) { scope in
            probe?(.arrived(isWriter: true, thread: me))
            let free = !scope.state.writing && scope.state.readers == 0
            if policy == .fair {
                if free && scope.state.queue.isEmpty {
                    scope.state.writing = true
                    probe?(.entered(isWriter: true, thread: me))
                } else {
                    waitInLine(scope, isWriter: true, thread: me, file: file, line: line)
                }
                return
            }
            if !free {
                probe?(.blocked(isWriter: true, thread: me))
                scope.state.waitingWriters += 1
                scope.wait(writersMayGo, until: { !$0.writing && $0.readers == 0 }, file: file, line: line)
                scope.state.waitingWriters -= 1
            }
            scope.state.writing = true
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
            switch policy {
            case .readerPreference:
                // Every waiting reader may enter now; a writer only if no reader waits (else
                // the last of those readers lets it in).
                if scope.state.waitingReaders > 0 {
                    scope.broadcast(readersMayGo, file: file, line: line)
                } else if scope.state.waitingWriters > 0 {
                    scope.signal(writersMayGo, file: file, line: line)
                }
            case .writerPreference:
                if scope.state.waitingWriters > 0 {
                    scope.signal(writersMayGo, file: file, line: line)
                } else if scope.state.waitingReaders > 0 {
                    scope.broadcast(readersMayGo, file: file, line: line)
                }
            case .fair:
                admitFromLine(scope, file: file, line: line)
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

    /// Fair policy: joins the back of the line and sleeps until admitted. The admitting thread
    /// has already counted this one inside (a handoff), so nobody can slip in between.
    private func waitInLine(
        _ scope: Monitor<State>.Scope, isWriter: Bool, thread: Int, file: StaticString, line: UInt
    ) {
        probe?(.blocked(isWriter: isWriter, thread: thread))
        let (ticket, turn) = scope.state.queue.join(isWriter: isWriter, thread: thread) {
            monitor.makeCondition(name: "\(name).turn")
        }
        scope.wait(turn, until: { $0.queue.admitted > ticket }, file: file, line: line)
        scope.state.queue.recycle(turn)
    }

    /// Fair policy: admits from the head of the line whoever may enter now: one writer if the
    /// lock is empty, or every reader up to the next writer if no writer is inside. Each
    /// admitted thread is counted inside at once and woken on its own condition.
    private func admitFromLine(_ scope: Monitor<State>.Scope, file: StaticString, line: UInt) {
        while let next = scope.state.queue.head, !scope.state.writing {
            if next.isWriter {
                guard scope.state.readers == 0 else { return }
                scope.state.writing = true
            } else {
                scope.state.readers += 1
            }
            scope.state.queue.admitHead()
            probe?(.entered(isWriter: next.isWriter, thread: next.thread))
            scope.signal(next.turn, file: file, line: line)
        }
    }
}
