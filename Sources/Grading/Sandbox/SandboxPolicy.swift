/// The limits a sandboxed program runs under.
///
/// Each limit is enforced by the kernel, not by the program's goodwill: CPU time, address space,
/// file size, process count and core dumps are rlimits set (with `prlimit`) just before the
/// program starts; wall-clock time and output size are enforced by the parent, which kills the
/// whole sandbox when either is exceeded. The defaults suit one hidden check of a course
/// assignment on a small machine.
public struct SandboxPolicy: Sendable, Hashable {
    /// CPU time (user + system) in seconds: at this limit the kernel sends `SIGXCPU`, one second
    /// later `SIGKILL` (`RLIMIT_CPU`).
    public var cpuSeconds: Int
    /// Address space in bytes (`RLIMIT_AS`): allocations beyond it fail (`malloc` returns NULL,
    /// `mmap` fails with `ENOMEM`; Swift traps). Counts reserved, not touched, memory, including
    /// thread stacks and glibc's per-thread malloc arenas, so leave headroom for threads.
    public var memoryBytes: Int
    /// Largest file the program may write (`RLIMIT_FSIZE`): a write past it fails with `EFBIG`
    /// and the kernel sends `SIGXFSZ`, which kills a program that does not handle it.
    public var fileSizeBytes: Int
    /// Processes *and threads* the sandbox user may have at once (`RLIMIT_NPROC`); `fork`,
    /// `clone` and `pthread_create` fail with `EAGAIN` beyond it. The count is per user id, so
    /// sandboxes that run at the same time under the same ``Sandbox/userID`` share it.
    public var maxProcesses: Int
    /// Wall-clock time from start to exit; at this limit the whole sandbox is killed and the run
    /// reported as ``SandboxOutcome/Termination/timedOut``.
    public var wallClock: Duration
    /// Bytes kept from each of standard output and standard error; when a stream goes past
    /// this, the sandbox is killed and the run reported as
    /// ``SandboxOutcome/Termination/outputLimitExceeded``.
    public var outputBytes: Int
    /// Size of each private in-memory file system (`/tmp` and `/dev/shm`) inside the sandbox.
    public var scratchBytes: Int
    /// Whether the program may use the network. When false (the default) the sandbox has its
    /// own network namespace holding only a loopback interface.
    public var network: Bool
    /// The per-process address-space limit (`RLIMIT_AS`) when it should differ from
    /// ``memoryBytes``: a compiler reserves far more address space than it touches, so a build
    /// is limited by its cgroup's memory instead. Nil means ``memoryBytes``.
    public var addressSpaceBytes: Int?
    /// Whether the run gets its own cgroup when the machine allows one (the default). Off only
    /// to measure what the cgroup costs; without it, memory is limited per process only.
    public var useCgroup = true

    /// Creates a policy; every parameter has a default suited to one hidden check.
    /// - Parameters:
    ///   - cpuSeconds: CPU seconds (default 10).
    ///   - memoryBytes: Address-space bytes (default 1 GiB).
    ///   - fileSizeBytes: Largest file written (default 16 MiB).
    ///   - maxProcesses: Processes and threads (default 64).
    ///   - wallClock: Wall-clock limit (default 30 s).
    ///   - outputBytes: Bytes kept per output stream (default 1 MiB).
    ///   - scratchBytes: Size of `/tmp` and of `/dev/shm` (default 64 MiB each).
    ///   - network: Network access (default false).
    public init(
        cpuSeconds: Int = 10,
        memoryBytes: Int = 1 << 30,
        fileSizeBytes: Int = 16 << 20,
        maxProcesses: Int = 64,
        wallClock: Duration = .seconds(30),
        outputBytes: Int = 1 << 20,
        scratchBytes: Int = 64 << 20,
        network: Bool = false
    ) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.fileSizeBytes = fileSizeBytes
        self.maxProcesses = maxProcesses
        self.wallClock = wallClock
        self.outputBytes = outputBytes
        self.scratchBytes = scratchBytes
        self.network = network
    }

    /// The `prlimit` options that set this policy's rlimits (soft and hard alike, except CPU,
    /// whose hard limit is one second later so `SIGXCPU` comes first).
    func prlimitOptions(includingProcesses: Bool) -> [String] {
        var options = [
            "--cpu=\(max(1, cpuSeconds)):\(max(1, cpuSeconds) + 1)",
            "--as=\(addressSpaceBytes ?? memoryBytes)",
            "--fsize=\(fileSizeBytes)",
            "--core=0",
        ]
        if includingProcesses { options.append("--nproc=\(maxProcesses)") }
        return options
    }
}
