import CTurnstileContext

extension ControlledScheduler {
    /// Describes the controlled execution in progress on this OS thread when the process is
    /// crashing: the running logical thread, whether `faultAddress` hit its stack's guard page
    /// (a stack overflow), and the last steps of the trace. Returns nil when no controlled
    /// execution is in progress.
    ///
    /// Meant for a fatal-signal handler: it allocates, so it is best-effort there.
    public static func describeCrash(faultAddress: UnsafeRawPointer?, lastSteps: Int = 30) -> String? {
        guard let scheduler = active, scheduler.current < scheduler.threads.count else { return nil }
        let thread = scheduler.threads[scheduler.current]
        var lines: [String] = []
        var low: UnsafeRawPointer?
        var high: UnsafeRawPointer?
        turnstile_context_guard(thread.context, &low, &high)
        if let faultAddress, let low, let high, faultAddress >= low, faultAddress < high {
            lines.append("stack overflow in logical thread \(thread.name): its \(stackSize / 1024) KiB stack ran into the guard page (unbounded recursion?)")
        } else {
            lines.append("the code under test crashed in logical thread \(thread.name)")
        }
        let report = ExecutionReport(
            failure: nil, blockedAtEnd: [], trace: scheduler.traceSoFar, decisions: scheduler.decisionsSoFar,
            threadNames: scheduler.threads.map(\.name))
        lines.append("last steps before the crash:")
        lines.append(report.renderTrace(limit: lastSteps))
        return lines.joined(separator: "\n")
    }
}
