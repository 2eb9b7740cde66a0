import Foundation

/// How a sandboxed run ended, what it printed and what it used.
public struct SandboxOutcome: Sendable, Hashable {
    /// Why the program stopped.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// The program exited with this status.
        case exited(Int32)
        /// The program was killed by this signal (for example 9 `SIGKILL`, 24 `SIGXCPU` at the CPU
        /// limit, 25 `SIGXFSZ` at the file-size limit, 11 `SIGSEGV`).
        ///
        /// Under bubblewrap the signal is recovered from the 128 + N status bubblewrap passes on,
        /// so a program that itself exits with a status above 128 is reported as signaled.
        case signaled(Int32)
        /// The wall-clock limit passed and the sandbox was killed.
        case timedOut
        /// Standard output or standard error went past the output limit and the sandbox was killed.
        case outputLimitExceeded
        /// The run's processes together went past the memory limit of its cgroup and the kernel
        /// killed one.
        case memoryLimitExceeded
        /// The kernel's OOM killer killed a process of the run although the run never reached
        /// its own memory limit: the machine (or a parent cgroup) ran out of memory. Never the
        /// student's: a build is tried again, a check is incomplete.
        case killedFromOutside
        /// The grader stopped the program on purpose (``SandboxedCommand/stopDescriptor``): a
        /// process assignment's program, when the peer had finished with it.
        case stoppedByGrader

        /// True only for `exited(0)`.
        public var isSuccess: Bool { self == .exited(0) }

        /// For example `exited with status 1` or `killed by signal 24 (CPU time limit)`.
        public var description: String {
            switch self {
            case .exited(let status): return "exited with status \(status)"
            case .signaled(let signal):
                let reason = [9: " (killed)", 11: " (segmentation fault)", 6: " (abort)", 24: " (CPU time limit)", 25: " (file size limit)"][signal] ?? ""
                return "killed by signal \(signal)\(reason)"
            case .timedOut: return "killed at the wall-clock limit"
            case .memoryLimitExceeded: return "killed at the memory limit (all processes together)"
            case .stoppedByGrader: return "stopped by the grader (its peer was done)"
            case .killedFromOutside: return "killed by the machine's out-of-memory killer (not at the run's own memory limit)"
            case .outputLimitExceeded: return "killed for printing more than the output limit"
            }
        }
    }

    /// Why the program stopped.
    public var termination: Termination
    /// Standard output, at most ``SandboxPolicy/outputBytes`` bytes.
    public var stdout: Data
    /// Standard error, at most ``SandboxPolicy/outputBytes`` bytes.
    public var stderr: Data
    /// Wall-clock seconds from start to exit (or kill).
    public var wallSeconds: Double
    /// CPU seconds (user + system) of the sandbox's processes that were waited for, from `wait4`.
    public var cpuSeconds: Double?
    /// Largest resident set of any one process in the sandbox, in bytes (`ru_maxrss`).
    public var peakMemoryBytes: Int?
    /// What the program wrote to file descriptor 4 when ``SandboxedCommand/recordPipe`` was set
    /// (the check harness's record), at most ``SandboxPolicy/outputBytes`` bytes.
    public var record = Data()
    /// Peak memory of all the run's processes together, from its cgroup; nil without one.
    public var groupPeakMemoryBytes: Int?
    /// Whether the run had its own cgroup (memory of all processes together, pids, CPU).
    public var cgroupLimited = false

    /// Creates an outcome.
    /// - Parameters:
    ///   - termination: Why the program stopped.
    ///   - stdout: Captured standard output.
    ///   - stderr: Captured standard error.
    ///   - wallSeconds: Elapsed seconds.
    ///   - cpuSeconds: CPU seconds, if known.
    ///   - peakMemoryBytes: Peak resident bytes, if known.
    public init(
        termination: Termination, stdout: Data, stderr: Data, wallSeconds: Double,
        cpuSeconds: Double? = nil, peakMemoryBytes: Int? = nil
    ) {
        self.termination = termination
        self.stdout = stdout
        self.stderr = stderr
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }
}
