import Foundation

/// A program to run in the sandbox, with the host directories it may see.
///
/// Paths in ``executable`` and ``workingDirectory`` are paths *inside* the sandbox. The whole host
/// file system is visible read-only (subject to ordinary permissions, checked as the sandbox
/// user), so the usual way to hand over a build product or a scratch directory is to bind it at
/// a fixed place such as `/sandbox/bin` or `/sandbox/scratch`; a bound path is reachable even if
/// its host parent directories are closed to the sandbox user.
public struct SandboxedCommand: Sendable {
    /// The program to run: an absolute path inside the sandbox.
    public var executable: String
    /// Arguments after the program name, passed as-is (never through a shell).
    public var arguments: [String]
    /// Host paths mounted read-only at sandbox paths. The files must be readable by the sandbox
    /// user (mode `o+r`, directories `o+rx`).
    public var readOnlyBinds: [(host: String, sandbox: String)]
    /// Host paths mounted read-write at sandbox paths; the only places the program can write
    /// outside its private `/tmp` and `/dev/shm`. When the grader runs as root, each host path is
    /// handed to the sandbox user (`chown -R`) before the run.
    public var writableBinds: [(host: String, sandbox: String)]
    /// Directories hidden behind an empty private directory (for example the gradebook's folder
    /// or other students' mirrors).
    public var hiddenPaths: [String]
    /// The working directory inside the sandbox.
    public var workingDirectory: String
    /// The complete environment; nothing is inherited from the grader. `PATH` defaults to
    /// `/usr/local/bin:/usr/bin:/bin` if absent.
    public var environment: [String: String]
    /// Bytes for standard input, or nil for an empty standard input (`/dev/null`).
    public var stdin: Data?
    /// Whether the program gets a pipe on file descriptor 4 whose contents come back as
    /// ``SandboxOutcome/record``: the channel for a result the program's other code cannot
    /// forge on standard output.
    public var recordPipe = false
    /// Host directories to show read-only at the same path besides the system's allowlist (for a
    /// build in the sandbox: the toolchain).
    public var systemReadOnly: [String] = []
    /// A descriptor of the grader's that the program gets as descriptor
    /// ``passedDescriptorNumber`` (a process assignment's bootstrap socket); nil for none.
    public var passedDescriptor: Int32?
    /// A second descriptor of the grader's, given as ``secondPassedDescriptorNumber``: the
    /// bootstrap socket of a second instance of the program, for a peer that drives two. Only
    /// an unsandboxed command (the grader's own peer) may pass it; nil for none.
    public var secondPassedDescriptor: Int32?
    /// The read end of a pipe of the grader's: when its write end is closed (or written to), the
    /// program and everything it started are killed, and the run ends as
    /// ``SandboxOutcome/Termination-swift.enum/stoppedByGrader`` — how the grader ends a
    /// process assignment's program once the peer is done with it.
    public var stopDescriptor: Int32?
    /// System calls the program may not make (they fail with `EPERM`), or nil for none. Only
    /// the sandbox applies it; an unsandboxed run ignores it.
    public var syscallFilter: SyscallFilter?
    /// Called once, on the calling thread, with the pid of the outermost process started (the
    /// sandbox's, or the program itself without one) before the run is waited for.
    public var onStart: (@Sendable (Int32) -> Void)?

    /// The descriptor number a passed descriptor gets in the program.
    public static let passedDescriptorNumber: Int32 = 5
    /// The descriptor number a second passed descriptor gets in the program.
    public static let secondPassedDescriptorNumber: Int32 = 6
    /// The descriptor bubblewrap reads the ``syscallFilter`` from (and closes before the
    /// program starts).
    static let syscallFilterDescriptorNumber: Int32 = 7

    /// Creates a command.
    /// - Parameters:
    ///   - executable: Absolute path of the program inside the sandbox.
    ///   - arguments: Its arguments.
    ///   - readOnlyBinds: Host → sandbox read-only mounts.
    ///   - writableBinds: Host → sandbox writable mounts.
    ///   - hiddenPaths: Sandbox paths to cover with an empty directory.
    ///   - workingDirectory: Working directory inside the sandbox (default `/`).
    ///   - environment: The program's environment.
    ///   - stdin: Standard input bytes, or nil.
    public init(
        executable: String,
        arguments: [String] = [],
        readOnlyBinds: [(host: String, sandbox: String)] = [],
        writableBinds: [(host: String, sandbox: String)] = [],
        hiddenPaths: [String] = [],
        workingDirectory: String = "/",
        environment: [String: String] = [:],
        stdin: Data? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.readOnlyBinds = readOnlyBinds
        self.writableBinds = writableBinds
        self.hiddenPaths = hiddenPaths
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.stdin = stdin
    }

    /// The environment as `KEY=value` strings, with a default `PATH`.
    var environmentStrings: [String] {
        var environment = self.environment
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        return environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
