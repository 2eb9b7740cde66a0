#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runtime's free operations: spawning threads, yielding, spinning, fences and thread
/// identity. Every call goes through here so that the controlled engine can take over
/// scheduling without any change to the code that calls it.
public enum Runtime {
    /// Starts `body` on a new thread.
    ///
    /// Natively a joinable pthread; under the controlled engine a logical thread that runs
    /// when the scheduler picks it (possibly before `spawn` returns).
    /// - Parameter name: shown in controlled traces (`producer-1`).
    @discardableResult
    public static func spawn(
        name: String? = nil, file: StaticString = #fileID, line: UInt = #line,
        _ body: @escaping @Sendable () -> Void
    ) -> ThreadHandle {
        if let scheduler = ControlledScheduler.active {
            return scheduler.spawn(name: name, SourceLocation(file: file, line: line), body)
        }
        let (thread, id) = NativeThread.spawn(body)
        return ThreadHandle(.native(thread), id: id)
    }

    /// Lets other threads run. Natively `sched_yield`; under the controlled engine a scheduling
    /// point at which strategies may deprioritize the caller (PCT does).
    public static func yield(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.yieldPoint()
            scheduler.record(.yield, nil, SourceLocation(file: file, line: line))
        } else {
            sched_yield()
        }
    }

    /// Marks one turn of a busy-wait loop. Natively a CPU pause hint; under the controlled
    /// engine like ``yield(file:line:)``, so a spinning thread cannot starve the thread it
    /// waits for. Put one in every spin loop.
    public static func spinHint(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.yieldPoint()
            scheduler.record(.spinHint, nil, SourceLocation(file: file, line: line))
        } else {
            spinLoopHint()
        }
    }

    /// A full (sequentially consistent) memory fence. Under the TSO simulation it drains the
    /// calling thread's store buffer.
    public static func fence(file: StaticString = #fileID, line: UInt = #line) {
        if let scheduler = ControlledScheduler.active {
            scheduler.decide(yielding: false)
            scheduler.drainCurrentBuffer()
            scheduler.weakFence()
            scheduler.record(.fence, nil, SourceLocation(file: file, line: line))
        } else {
            atomicFence()
        }
    }

    /// Under the controlled engine, waits until every other thread is blocked (on a lock, a
    /// condition, a join, or a spin that awaits a change) or finished, so that what the caller
    /// then looks at cannot change until it acts. This is how a check knows a thread is
    /// *waiting* for a lock rather than merely about to ask for it: the engine's own record
    /// of who can run decides, not anything the code under test says.
    ///
    /// - Blocking: until quiescence; if every other thread is already asleep or done, it is a
    ///   scheduling point only. Several callers at once all go on at quiescence.
    /// - Engine: controlled only (a precondition failure natively, where no such moment is
    ///   observable); refused under the partial-order-reduction search, whose dependencies
    ///   do not model it.
    /// - Memory ordering: none of its own.
    package static func awaitQuiescence(file: StaticString = #fileID, line: UInt = #line) {
        guard let scheduler = ControlledScheduler.active else {
            preconditionFailure("awaitQuiescence needs the controlled engine: natively no moment when every other thread sleeps can be observed")
        }
        scheduler.awaitQuiescence(SourceLocation(file: file, line: line))
    }

    /// The calling thread's runtime identity: the logical thread id under the controlled engine
    /// (main is 0); natively a positive number unique per OS thread, assigned at spawn or on
    /// first use.
    public static var currentThreadID: Int {
        if let scheduler = ControlledScheduler.active { return scheduler.current }
        return NativeThread.currentIdentity
    }

    /// Whether the caller runs under the controlled engine.
    public static var isControlled: Bool { ControlledScheduler.isActive }
}
