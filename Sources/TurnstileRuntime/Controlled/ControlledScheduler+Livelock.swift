extension ControlledScheduler {
    /// The longest cycle looked for at the end of a livelocked trace, in steps.
    static let longestLivelockCycle = 200

    /// What a livelock report adds to its message: which threads finished, which still run or
    /// wait, and the cycle of steps the end of the trace repeats (shown once, instead of the
    /// hundreds of identical spinning steps a trace ends with).
    func livelockDetails() -> [String] {
        var lines: [String] = []
        let finished = threads.filter(\.isFinished).map(\.name)
        let running = threads.filter { !$0.isFinished && $0.isRunnable }.map(\.name)
        let waiting = threads.filter { !$0.isFinished && !$0.isRunnable }.map(\.name)
        lines.append("finished: " + (finished.isEmpty ? "none" : finished.joined(separator: ", ")))
        lines.append("still running: " + (running.isEmpty ? "none" : running.joined(separator: ", ")))
        if !waiting.isEmpty { lines.append("blocked: " + waiting.joined(separator: ", ")) }
        guard let (period, repeated) = Self.repeatingCycle(traceSoFar) else { return lines }
        lines.append("the last \(repeated) steps repeat this cycle of \(period) step\(period == 1 ? "" : "s"), a state no step changes:")
        for step in traceSoFar.suffix(period) {
            let name = step.thread < threads.count ? threads[step.thread].name : "thread \(step.thread)"
            lines.append("  \(name)  \(step.operation.rawValue)\(step.object.map { " \($0)" } ?? "")  \(step.location)")
        }
        return lines
    }

    /// The shortest period `p` (≤ ``longestLivelockCycle``) such that the trace ends with the same
    /// `p` steps at least three times in a row, and how many final steps follow that period.
    static func repeatingCycle(_ trace: [TraceStep]) -> (period: Int, repeated: Int)? {
        let count = trace.count
        for period in 1...longestLivelockCycle where count >= 3 * period {
            var repeated = period
            while repeated + period <= count, trace[count - repeated - 1] == trace[count - repeated - 1 + period] {
                repeated += 1
            }
            if repeated >= 3 * period { return (period, repeated) }
        }
        return nil
    }
}
