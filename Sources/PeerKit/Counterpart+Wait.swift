#if canImport(Glibc)
import Glibc
#endif

extension Counterpart {
    /// How a wait for the program ended.
    public enum WaitOutcome: Sendable, Equatable {
        /// The condition held.
        case met
        /// The program was asleep (every thread blocked in the kernel, or no process left) for
        /// the whole settling time and the condition still did not hold: nothing it can do
        /// will change that until the peer acts. The verdict "stuck", independent of the load.
        case asleep
        /// The program used the CPU budget without making the condition hold: it spins.
        case busy(cpuSeconds: Double)
        /// The safety limit passed while the program ran without using its CPU budget (it got
        /// too little processor time to decide): the machine, not the program, is suspected.
        case safetyLimit
    }

    /// Waits until `condition` holds, judging a program that does not get there by what the
    /// kernel says it is doing rather than by how long it took.
    ///
    /// Each round checks `condition`, then samples ``isAsleep()``. A program that is asleep at
    /// every sample for `settle` (a runnable sample starts the settling over) and still has not
    /// made `condition` hold is ``WaitOutcome/asleep``; the condition is checked once more after
    /// the last sample, so work done between samples is never missed. A program that spends
    /// `cpuBudget` seconds of CPU is ``WaitOutcome/busy(cpuSeconds:)``. Only when neither
    /// happens within `safety` of wall time is the result ``WaitOutcome/safetyLimit``.
    ///
    /// Blocking: sleeps 5 ms between rounds. `condition` must not block.
    public func wait(
        until condition: () throws -> Bool, settle: Duration = .milliseconds(200), cpuBudget: Double = 10,
        safety: Duration = .seconds(60)
    ) rethrows -> WaitOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuAtStart = cpuSeconds()
        var asleepSince: ContinuousClock.Instant?
        while true {
            if try condition() { return .met }
            if isAsleep() {
                let since = asleepSince ?? clock.now
                asleepSince = since
                if since.duration(to: clock.now) >= settle {
                    return try condition() ? .met : .asleep
                }
            } else {
                asleepSince = nil
            }
            let used = cpuSeconds() - cpuAtStart
            if used >= cpuBudget { return .busy(cpuSeconds: used) }
            if start.duration(to: clock.now) >= safety { return .safetyLimit }
            usleep(5_000)
        }
    }

    /// The share of `samples` samples, `interval` apart, at which the program was asleep: near 1
    /// for a program that blocks while it has nothing to do, near 0 for one that spins (running
    /// or waiting for a processor, whatever the load).
    public func asleepShare(samples: Int = 50, interval: Duration = .milliseconds(20)) -> Double {
        var asleep = 0
        for index in 0..<samples {
            if isAsleep() { asleep += 1 }
            if index + 1 < samples {
                let (seconds, attoseconds) = interval.components
                usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            }
        }
        return Double(asleep) / Double(max(1, samples))
    }
}
