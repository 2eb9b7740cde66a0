import CTurnstileContext

/// The controlled engine: runs a program's logical threads one at a time on the calling OS
/// thread, and lets a ``SchedulingStrategy`` decide at every runtime operation who runs next.
///
/// Create one scheduler per exploration and call ``execute(_:)`` once per schedule. Each
/// logical thread runs on its own stack (with a guard page) and switches by
/// `_setjmp`/`_longjmp`, so a decision costs no system call. The same strategy state gives the
/// same decisions, so the same program gives the same trace.
///
/// Under this engine a program may block only through runtime operations (``Lock``,
/// ``Condition``, ``ThreadHandle/join(file:line:)``): a blocking system call, a `Dispatch`
/// wait or Swift concurrency would stall the one OS thread that carries every logical thread.
///
/// Not thread-safe: use a scheduler from one OS thread, and run one execution at a time per
/// process.
public final class ControlledScheduler {
    /// The scheduler of the execution in progress on the calling OS thread, if any.
    static var active: ControlledScheduler? {
        @inline(__always) get {
            guard let raw = turnstile_active_scheduler() else { return nil }
            return Unmanaged<ControlledScheduler>.fromOpaque(raw).takeUnretainedValue()
        }
    }

    /// Whether a controlled execution is in progress on the calling OS thread (no retain).
    @inline(__always) static var isActiveOnThisThread: Bool { turnstile_active_scheduler() != nil }

    /// Stacks kept between executions: mapping a stack and its guard page costs system calls.
    private var stackPool: [OpaquePointer] = []

    /// Stack size of each logical thread.
    public static let stackSize = 256 * 1024

    let strategy: any SchedulingStrategy
    let options: ExecutionOptions
    private let host: OpaquePointer
    var threads: [LogicalThread] = []
    var current = 0
    var epoch: UInt64 = 0
    var objectCounter = 0
    private var executionIndex = 0
    private var trace: [TraceStep] = []
    private var decisions = 0
    private var failure: ExecutionFailure?
    private var blockedAtEnd: [String] = []
    private var choices: [Choice] = []
    private var spuriousLeft = 0
    private var abandoned = false
    /// Objects created so far in this execution (their serials).
    var serialCounter = 0
    /// Whether the strategy wants every scheduling point and every access.
    let observesDependencies: Bool
    /// Whether accesses are reported to the strategy or kept for ``ExecutionOptions/yieldAwaitsChange``.
    let tracksAccesses: Bool
    /// Release/acquire model: each location's stores in modification order, by location slot.
    var weakLocations: [WeakLocation] = []
    /// Release/acquire model: the slot of each location touched in this execution.
    var weakSlots: [ObjectIdentifier: Int] = [:]
    /// Release/acquire model: what every sequentially consistent operation so far has seen.
    var sequentialView: [Int] = []
    /// Release/acquire model: loads of this execution that read a value older than the newest.
    var staleReads: [String] = []
    /// Whether loads and stores follow the release/acquire model.
    let weakMemory: Bool
    /// Whether ``ExecutionOptions/yieldAwaitsChange`` is in effect (never under release/acquire).
    let awaitsChange: Bool
    /// Whether a dependency-tracking strategy sees the main thread's return end the execution:
    /// every step of another thread reads ``processExitSerial``, the return writes it.
    let tracksProcessExit: Bool

    /// The serial that stands for the process in dependency tracking under
    /// ``ExecutionOptions/mainReturnEndsExecution``: the main thread's return changes it (it
    /// ends every other thread), and every step of another thread reads it (it runs only while
    /// the process lives), so a partial-order reduction orders each such step against the exit.
    public static let processExitSerial = -(1 << 50)

    /// Creates a scheduler that asks `strategy` at every decision.
    public init(strategy: any SchedulingStrategy, options: ExecutionOptions = ExecutionOptions()) {
        self.strategy = strategy
        self.options = options
        self.observesDependencies = strategy.observesDependencies
        self.weakMemory = options.memoryModel == .releaseAcquire
        // Under the release/acquire model a spinner can read a newer value without anyone
        // writing again, so a yield may not wait for a write there.
        self.awaitsChange = options.yieldAwaitsChange && !weakMemory
        self.tracksAccesses = strategy.observesDependencies || awaitsChange
        self.tracksProcessExit = strategy.observesDependencies && options.mainReturnEndsExecution
        guard let host = turnstile_context_create_host() else {
            fatalError("out of memory creating the controlled engine's host context")
        }
        self.host = host
    }

    deinit {
        turnstile_context_destroy(host)
        for context in stackPool { turnstile_context_destroy(context) }
    }

    /// Whether the calling code runs under a controlled execution.
    public static var isActive: Bool { isActiveOnThisThread }

    /// Runs `body` as logical thread 0 ("main") to completion, failure or deadlock, under the
    /// strategy's decisions, and reports what happened.
    ///
    /// - Precondition: no other controlled execution is in progress in this process.
    public func execute(_ body: @escaping () -> Void) -> ExecutionReport {
        precondition(!Self.isActiveOnThisThread, "a controlled execution is already in progress on this thread")
        strategy.beginExecution(executionIndex)
        executionIndex += 1
        epoch &+= 1
        objectCounter = 0
        serialCounter = 0
        abandoned = false
        weakLocations.removeAll(keepingCapacity: true)
        weakSlots.removeAll(keepingCapacity: true)
        sequentialView.removeAll(keepingCapacity: true)
        staleReads.removeAll()
        trace.removeAll(keepingCapacity: true)
        decisions = 0
        failure = nil
        blockedAtEnd = []
        spuriousLeft = options.spuriousWakeups
        turnstile_set_active_scheduler(Unmanaged.passUnretained(self).toOpaque())
        let main = makeThread(name: "main", body: body)
        current = main.id
        turnstile_context_switch(host, main.context)
        // Back on the host: the execution is over.
        turnstile_set_active_scheduler(nil)
        var report = ExecutionReport(
            failure: failure, blockedAtEnd: blockedAtEnd, trace: trace, decisions: decisions,
            threadNames: threads.map(\.name))
        report.abandoned = abandoned
        report.staleReads = staleReads
        // The locations kept their objects alive for the execution; let them go.
        weakLocations.removeAll(keepingCapacity: true)
        for thread in threads {
            thread.body = nil
            stackPool.append(thread.context)
        }
        threads.removeAll(keepingCapacity: true)
        return report
    }

    var traceSoFar: [TraceStep] { trace }
    var decisionsSoFar: Int { decisions }

    // MARK: Threads

    func makeThread(name: String?, body: @escaping () -> Void) -> LogicalThread {
        let context: OpaquePointer
        if let pooled = stackPool.popLast() {
            context = pooled
        } else if let fresh = turnstile_context_create(Self.stackSize) {
            context = fresh
        } else {
            fatalError("cannot map a stack for a logical thread: out of memory")
        }
        let id = threads.count
        let thread = LogicalThread(id: id, name: name ?? (id == 0 ? "main" : "thread \(id)"), context: context, body: body)
        threads.append(thread)
        turnstile_context_prepare(context, logicalThreadEntry, Unmanaged.passUnretained(thread).toOpaque())
        strategy.threadCreated(id)
        return thread
    }

    /// Runs the body of the current thread; then finishes it and never returns.
    fileprivate func runCurrentThread() {
        if tracksProcessExit, current != 0 { strategy.accessed(Self.processExitSerial, isWrite: false) }
        runBody()
        if current == 0, options.mainReturnEndsExecution {
            // As a C process's exit: the other threads stop wherever they are.
            if tracksProcessExit { strategy.accessed(Self.processExitSerial, isWrite: true) }
            record(.finish, nil, SourceLocation(file: "", line: 0))
            threads[current].state = .finished
            returnToHost()
        }
        finishCurrent()
    }

    private func runBody() {
        let thread = threads[current]
        let body = thread.body
        thread.body = nil
        body?()
    }

    private func finishCurrent() -> Never {
        let thread = threads[current]
        // Thread exit and join synchronize (pthread_join is a full barrier): whatever the thread
        // stored is visible to its joiner, so its store buffer drains now.
        drainCurrentBuffer()
        weakFence()
        thread.state = .finished
        if tracksAccesses { recordAccess(Self.threadSerial(thread.id), write: true) }
        for other in threads {
            if case .blocked(.join(let target)) = other.state, target == thread.id { other.state = .runnable }
        }
        record(.finish, nil, SourceLocation(file: "", line: 0))
        decide(yielding: false)
        fatalError("a finished logical thread was resumed")
    }

    // MARK: Decisions

    /// Records one executed operation of the current thread.
    func record(_ operation: OperationKind, _ object: String?, _ location: SourceLocation) {
        guard options.recordTrace else { return }
        trace.append(TraceStep(
            thread: current, operation: operation, object: object,
            location: location.line == 0 ? "" : location.description))
    }

    /// A scheduling point: lets the strategy pick who runs next, and switches to it. Returns
    /// when the current thread is picked again.
    func decide(yielding: Bool) {
        while true {
            choices.removeAll(keepingCapacity: true)
            var currentEnabled = false
            for thread in threads where thread.isRunnable {
                choices.append(.run(thread.id))
                if thread.id == current { currentEnabled = true }
            }
            if choices.isEmpty {
                // Everybody else is asleep or done: whoever awaits quiescence may go on.
                for thread in threads where thread.awaitsQuiescence {
                    choices.append(.run(thread.id))
                    if thread.id == current { currentEnabled = true }
                }
            }
            if bufferingStores {
                for thread in threads where !thread.storeBuffer.isEmpty { choices.append(.flush(thread.id)) }
            }
            if choices.isEmpty { endWithNobodyRunnable() }
            decisions += 1
            if decisions > options.maxDecisions {
                fail(.livelock, "no progress: the execution passed \(options.maxDecisions) scheduling points without finishing (a spin loop that never sees its condition, a livelock, or a starved thread)", waitFor: livelockDetails())
            }
            let pick: Choice
            if choices.count == 1, !observesDependencies {
                pick = choices[0]
            } else {
                let context = DecisionContext(
                    kind: .schedule, current: current, currentEnabled: currentEnabled, yielding: yielding,
                    step: decisions)
                let index = strategy.choose(choices, context: context)
                if index == abandonExecution { abandon() }
                pick = choices[index]
            }
            switch pick {
            case .flush(let id):
                flushOldest(of: threads[id])
                continue
            case .run(let id):
                if id != current { switchTo(id) }
                // Back in this thread (picked again, or resumed): its next step begins.
                if tracksProcessExit, current != 0 { strategy.accessed(Self.processExitSerial, isWrite: false) }
                return
            case .wake, .spurious, .read:
                preconditionFailure("scheduling choices are run or flush")
            }
        }
    }

    /// Blocks the current thread until every other thread is blocked (on a lock, a condition,
    /// a join or a spin awaiting a change) or finished: the state it then sees changes only
    /// when it acts.
    func awaitQuiescence(_ location: SourceLocation) {
        if observesDependencies {
            fail(.misuse, "awaitQuiescence at \(location) is not supported under the partial-order-reduction search (its enabling depends on every thread); use a random or PCT plan")
        }
        threads[current].state = .blocked(.quiescence)
        decide(yielding: false)
        threads[current].state = .runnable
        record(.quiescence, nil, location)
    }

    /// Asks the strategy a non-scheduling question (which waiter, spurious or not).
    func decideData(_ options: [Choice], kind: DecisionKind) -> Int {
        guard options.count > 1 else { return 0 }
        let context = DecisionContext(
            kind: kind, current: current, currentEnabled: true, yielding: false, step: decisions)
        return strategy.choose(options, context: context)
    }

    /// Whether to inject a spurious wakeup now (bounded per execution).
    func takeSpuriousWakeup() -> Bool {
        guard spuriousLeft > 0 else { return false }
        let spurious = decideData([.spurious(false), .spurious(true)], kind: .spuriousWakeup) == 1
        if spurious { spuriousLeft -= 1 }
        return spurious
    }

    private func switchTo(_ id: Int) {
        let from = threads[current].context
        current = id
        turnstile_context_switch(from, threads[id].context)
    }

    private func returnToHost() -> Never {
        let from = threads[current].context
        turnstile_context_switch(from, host)
        fatalError("an abandoned logical thread was resumed")
    }

    private func endWithNobodyRunnable() -> Never {
        let waiting = threads.filter { !$0.isFinished }
        if waiting.isEmpty { returnToHost() }
        let spinning = waiting.filter { if case .blocked(.awaitingChange) = $0.state { true } else { false } }
        if !spinning.isEmpty {
            let names = spinning.map(\.name).joined(separator: ", ")
            let others = waiting.count > spinning.count ? "; the other threads are blocked" : ""
            fail(.livelock, "no progress: \(names) spin, waiting for a value that no thread can change any more\(others) (a spin loop that never sees its condition, or a livelock)", waitFor: DeadlockAnalysis(threads: threads, scheduler: self).lines)
        }
        if options.allowBlockedAtEnd {
            blockedAtEnd = waiting.map(\.name)
            returnToHost()
        }
        let analysis = DeadlockAnalysis(threads: threads, scheduler: self)
        fail(.deadlock, analysis.summary, waitFor: analysis.lines)
    }

    /// Ends the execution as redundant at the strategy's request; never returns.
    private func abandon() -> Never {
        abandoned = true
        returnToHost()
    }

    /// Ends the execution with a failure; never returns to the caller.
    func fail(_ kind: ExecutionFailure.Kind, _ message: String, waitFor: [String] = []) -> Never {
        if failure == nil { failure = ExecutionFailure(kind: kind, message: message, waitFor: waitFor) }
        returnToHost()
    }

    /// Ends the current controlled execution with an assertion failure raised by a check.
    /// Returns only if no controlled execution is in progress.
    public static func reportViolation(_ message: String, location: SourceLocation) {
        guard let scheduler = active else { return }
        scheduler.record(.check, nil, location)
        scheduler.fail(.assertion, "\(message) (\(location))")
    }

    /// The name of the logical thread that is running, for messages.
    public static var currentThreadName: String? {
        guard let scheduler = active else { return nil }
        return scheduler.threads[scheduler.current].name
    }

    // MARK: Store buffers (x86-TSO)

    func flushOldest(of thread: LogicalThread) {
        let store = thread.storeBuffer.removeFirst()
        store.commit()
        if options.recordTrace {
            trace.append(TraceStep(thread: thread.id, operation: .flush, object: store.label, location: ""))
        }
    }

    /// Drains the current thread's store buffer (a fence, a locked instruction).
    func drainCurrentBuffer() {
        let thread = threads[current]
        while !thread.storeBuffer.isEmpty { flushOldest(of: thread) }
    }

    var bufferingStores: Bool { options.memoryModel == .totalStoreOrder }

    /// The newest buffered value the current thread stored to `object`, if any.
    func forwardedValue(for object: ObjectIdentifier) -> Any? {
        let buffer = threads[current].storeBuffer
        guard !buffer.isEmpty else { return nil }
        for store in buffer.reversed() where store.object == object { return store.value }
        return nil
    }

    func bufferStore(object: ObjectIdentifier, label: String, value: Any, commit: @escaping () -> Void) {
        threads[current].storeBuffer.append(
            LogicalThread.BufferedStore(object: object, label: label, value: value, commit: commit))
    }
}

/// Entry of every logical thread's stack.
/// The scheduler is borrowed without a retain: this frame never returns, so a retain taken here
/// would never be released.
private let logicalThreadEntry: @convention(c) (UnsafeMutableRawPointer?) -> Void = { _ in
    Unmanaged<ControlledScheduler>.fromOpaque(turnstile_active_scheduler()!)._withUnsafeGuaranteedRef {
        $0.runCurrentThread()
    }
}
