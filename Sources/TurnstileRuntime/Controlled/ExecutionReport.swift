/// One executed runtime operation in a controlled execution.
public struct TraceStep: Sendable, Hashable, Codable {
    /// The logical thread that performed it.
    public var thread: Int
    /// What it did.
    public var operation: OperationKind
    /// The object it acted on (`lock#1`, `notEmpty`, `thread 2`), if any.
    public var object: String?
    /// Where in the source, `File.swift:12`.
    public var location: String

    /// Creates a trace step.
    /// - Parameters:
    ///   - thread: The logical thread's id (the main thread is 0).
    ///   - operation: What it did.
    ///   - object: The object it acted on, or nil.
    ///   - location: The source location, `File.swift:12`.
    public init(thread: Int, operation: OperationKind, object: String?, location: String) {
        self.thread = thread
        self.operation = operation
        self.object = object
        self.location = location
    }
}

/// Why a controlled execution failed.
public struct ExecutionFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Codable {
        /// A check's invariant or expectation did not hold.
        case assertion
        /// Nobody can run and not everybody finished.
        case deadlock
        /// The execution exceeded its step bound without finishing (a spin without progress,
        /// a livelock, or a thread starved by the others).
        case livelock
        /// A waiter was overtaken more often than the stated bound.
        case starvation
        /// The runtime was used wrongly (unlocking a lock one does not hold, waiting without
        /// the lock).
        case misuse
    }

    /// The class of failure.
    public var kind: Kind
    /// What went wrong, in words a student can act on.
    public var message: String
    /// For a deadlock: the wait-for cycle, one `thread → resource → holder` line each.
    public var waitFor: [String]

    /// Creates a failure.
    /// - Parameters:
    ///   - kind: The class of failure.
    ///   - message: What went wrong, in words a student can act on.
    ///   - waitFor: For a deadlock, the wait-for cycle, one line each; empty otherwise.
    public init(kind: Kind, message: String, waitFor: [String] = []) {
        self.kind = kind
        self.message = message
        self.waitFor = waitFor
    }

    /// `kind: message`, followed by the wait-for lines, indented, when there are any.
    public var description: String {
        waitFor.isEmpty ? "\(kind.rawValue): \(message)" : "\(kind.rawValue): \(message)\n  " + waitFor.joined(separator: "\n  ")
    }
}

/// The result of one controlled execution.
public struct ExecutionReport: Sendable {
    /// `nil` if the execution finished (or ended blocked where that was allowed).
    public var failure: ExecutionFailure?
    /// Threads still blocked at the end, by name, when the options allowed it.
    public var blockedAtEnd: [String]
    /// Every executed operation, in order (empty if tracing was off).
    public var trace: [TraceStep]
    /// Scheduling points passed.
    public var decisions: Int
    /// Thread names by id.
    public var threadNames: [String]
    /// Whether the strategy ended the execution early as redundant (a partial-order reduction
    /// found that every continuation was explored already); such an execution neither passes
    /// nor fails.
    public var abandoned = false
    /// Under ``ExecutionOptions/MemoryModel/releaseAcquire``: every load that read a value
    /// older than its location's newest store, as "thread: load x at File.swift:12 read 0, but 1
    /// was stored later", in execution order. Empty under the other models.
    public var staleReads: [String] = []

    /// Creates a report.
    /// - Parameters:
    ///   - failure: Why the execution failed; nil if it did not.
    ///   - blockedAtEnd: Names of the threads still blocked at the end.
    ///   - trace: Every executed operation, in order (empty if tracing was off).
    ///   - decisions: Scheduling points passed.
    ///   - threadNames: Thread names, indexed by logical thread id.
    public init(
        failure: ExecutionFailure?, blockedAtEnd: [String], trace: [TraceStep], decisions: Int, threadNames: [String]
    ) {
        self.failure = failure
        self.blockedAtEnd = blockedAtEnd
        self.trace = trace
        self.decisions = decisions
        self.threadNames = threadNames
    }

    /// The trace as numbered lines, `  12. consumer-1  lock buffer  BoundedBuffer.swift:23`.
    public func renderTrace(limit: Int = 400) -> String {
        var lines: [String] = []
        let shown = trace.count > limit ? Array(trace.suffix(limit)) : trace
        let offset = trace.count - shown.count
        if offset > 0 { lines.append("  … \(offset) earlier steps omitted") }
        for (index, step) in shown.enumerated() {
            let name = step.thread < threadNames.count ? threadNames[step.thread] : "thread \(step.thread)"
            var line = "  \(offset + index + 1). \(name)  \(step.operation.rawValue)"
            if let object = step.object { line += " \(object)" }
            line += "  \(step.location)"
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// How a controlled execution behaves.
public struct ExecutionOptions: Sendable {
    /// The memory model that loads and stores follow.
    public enum MemoryModel: Sendable {
        /// Every load reads the newest store: one interleaving of the threads' operations.
        case sequentiallyConsistent
        /// x86-TSO: a store waits in its thread's store buffer (flushed at a scheduler choice,
        /// a sequentially consistent store, a read-modify-write, a lock operation or a fence), so
        /// a later load of another location can overtake it.
        case totalStoreOrder
        /// C11-style release/acquire with relaxed accesses (the view-based operational model of
        /// Kang et al., PLDI 2017, without promises): a load may read any store of its location
        /// that its thread has not yet seen superseded, a choice the strategy makes. An
        /// acquiring load that reads a releasing store sees everything its writer had seen;
        /// a relaxed one only that store. Read-modify-writes read the newest store and continue
        /// its release sequence. `Shared` accesses are relaxed. Stronger than C11 where that
        /// keeps the model simple (so it never reports behaviour C11 forbids): stores join the
        /// end of modification order, sequentially consistent operations and all lock,
        /// condition, spawn and join operations act as full fences.
        case releaseAcquire
    }

    /// Scheduling points after which the execution is declared a livelock.
    public var maxDecisions: Int = 20_000
    /// Spurious wakeups the scheduler may inject into `Condition.wait` per execution.
    public var spuriousWakeups: Int = 2
    /// Store-buffer simulation.
    public var memoryModel: MemoryModel = .sequentiallyConsistent
    /// If true, threads still blocked when nobody can run end the execution without a
    /// failure (for checks that expect a `put` to block on a full buffer).
    public var allowBlockedAtEnd = false
    /// Record a trace of every operation.
    public var recordTrace = true
    /// If set, a thread waiting for a ``Lock`` that other threads acquire more than this many
    /// times before it does is reported as starved (`starvation`). Off by default: the runtime's
    /// lock, like a pthread mutex, promises no fairness; checks of fair primitives turn it on.
    public var maxOvertakes: Int? = nil
    /// Whether a yield or spin hint after a spin iteration that only read memory waits until
    /// another thread writes something that iteration read (the iteration would otherwise
    /// repeat identically). Sound for spin loops whose failed iterations change nothing, and
    /// what lets an exhaustive search finish programs that spin: a spin that no thread can
    /// end is reported as a livelock at once. The partial-order-reduction search turns it on.
    /// Ignored under ``MemoryModel/releaseAcquire``, where a spinner may see a newer value
    /// without another write.
    public var yieldAwaitsChange = false
    /// Whether the execution ends when the main thread's body returns, as a C program's process
    /// exits when `main` returns: threads still running or blocked stop where they are, and
    /// nothing is reported about them. Off by default (the runtime's checks join their threads,
    /// and a thread left blocked is a deadlock). For ports of C programs.
    public var mainReturnEndsExecution = false

    /// Creates options; ``maxOvertakes`` starts off (nil) and is set separately.
    /// - Parameters:
    ///   - maxDecisions: Scheduling points before the execution counts as a livelock (default 20,000).
    ///   - spuriousWakeups: Spurious wakeups the scheduler may inject per execution (default 2).
    ///   - memoryModel: The memory model loads and stores follow (default sequentially consistent).
    ///   - allowBlockedAtEnd: Whether threads left blocked end the execution without a failure
    ///     (default false).
    ///   - recordTrace: Whether every operation is recorded (default true).
    public init(
        maxDecisions: Int = 20_000, spuriousWakeups: Int = 2,
        memoryModel: MemoryModel = .sequentiallyConsistent, allowBlockedAtEnd: Bool = false,
        recordTrace: Bool = true
    ) {
        self.maxDecisions = maxDecisions
        self.spuriousWakeups = spuriousWakeups
        self.memoryModel = memoryModel
        self.allowBlockedAtEnd = allowBlockedAtEnd
        self.recordTrace = recordTrace
    }
}
