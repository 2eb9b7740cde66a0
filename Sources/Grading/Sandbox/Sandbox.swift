import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs untrusted programs (student code and the checks linked with it) under bubblewrap, with
/// no network, a read-only file system except the writable binds, and kernel-enforced limits on
/// CPU, memory, file size, processes, wall-clock time and output.
///
/// See ``BubblewrapInvocation`` for the exact layout. When the grader runs as root, the program
/// runs as ``userID``/``groupID`` (default `nobody`, 65534): the process limit only binds a
/// non-root user, and as `nobody` the program can read only world-readable host files. Sandboxes
/// that run at the same time under one user id share its process limit; give concurrent runs
/// distinct ids to keep them apart.
///
/// A `Sandbox` holds only immutable configuration, so one instance may be used from many threads
/// at once; each ``run(_:policy:)`` blocks its thread until the program and everything it
/// started have ended.
public final class Sandbox: Sendable {
    /// The user id the program runs as when the grader is root.
    public let userID: UInt32
    /// The group id the program runs as when the grader is root.
    public let groupID: UInt32
    /// Whether each run gets a user id of its own (``RunUsers``) instead of ``userID``, so
    /// runs at the same time never share a per-user limit (the process count): a check on
    /// another worker's threads cannot make this one's thread creation fail.
    public let distinctUserPerRun: Bool
    let tools: Result<SandboxTools, SandboxError>

    /// Creates a sandbox runner, locating `bwrap`, `setpriv`, `prlimit` and GNU `time`.
    /// - Parameters:
    ///   - userID: The uid programs run as when the grader is root (default 65534, `nobody`).
    ///   - groupID: The gid programs run as when the grader is root (default 65534, `nogroup`).
    ///   - distinctUserPerRun: Give every run a user and group id of its own from ``RunUsers``
    ///     instead (grading: checks of several workers run at once).
    public init(userID: UInt32 = 65534, groupID: UInt32 = 65534, distinctUserPerRun: Bool = false) {
        self.userID = userID
        self.groupID = groupID
        self.distinctUserPerRun = distinctUserPerRun
        tools = SandboxTools.locateAll()
    }

    /// Checks that the sandbox works here by running `/bin/true` in it.
    /// - Returns: ``SandboxAvailability/available(version:)``, or what is missing and how to fix it.
    public static func probe() -> SandboxAvailability {
        let sandbox = Sandbox()
        guard case .success(let tools) = sandbox.tools else {
            if case .failure(.unavailable(let availability)) = sandbox.tools { return availability }
            return .bubblewrapFails(stderr: "cannot locate the sandbox tools")
        }
        do {
            let outcome = try sandbox.run(SandboxedCommand(executable: "/bin/true"), policy: SandboxPolicy(wallClock: .seconds(10)))
            guard outcome.termination == .exited(0) else {
                return .bubblewrapFails(stderr: "/bin/true \(outcome.termination): \(String(decoding: outcome.stderr, as: UTF8.self))")
            }
            let version = try ProcessRunner(
                executable: tools.bubblewrap, arguments: ["bwrap", "--version"], environment: [], outputLimit: 4096,
                wallClock: .seconds(10), killProcessGroup: true
            ).run().stdout
            return .available(version: String(decoding: version, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch SandboxError.setupFailed(let stderr) {
            return .bubblewrapFails(stderr: stderr)
        } catch {
            return .bubblewrapFails(stderr: error.localizedDescription)
        }
    }

    /// Runs `command` in a fresh sandbox under `policy` and waits for it to end.
    ///
    /// Blocks the calling thread for up to ``SandboxPolicy/wallClock``, plus the moment it takes
    /// to kill the sandbox. When it returns, every process of the sandbox has ended. When the
    /// grader is root, the host path of every writable bind is first handed to the sandbox user
    /// (`chown -R`), and CPU time and peak memory are measured (with GNU `time`, if installed).
    /// - Parameters:
    ///   - command: The program, its binds, environment and input.
    ///   - policy: The limits.
    /// - Returns: How the program ended, its capped output and its resource use.
    /// - Throws: ``SandboxError/unavailable(_:)`` if a tool is missing,
    ///   ``SandboxError/setupFailed(_:)`` if bubblewrap could not build the sandbox (a bind's host
    ///   path missing, …), ``SandboxError/cannotPrepareBind(path:message:)``, or
    ///   ``SandboxError/spawnFailed(call:errno:)``.
    public func run(_ command: SandboxedCommand, policy: SandboxPolicy) throws -> SandboxOutcome {
        let tools = try self.tools.get()
        let asRoot = geteuid() == 0
        let lease = asRoot && distinctUserPerRun ? RunUsers.shared.acquire() : nil
        defer { if let lease { RunUsers.shared.release(lease) } }
        let (userID, groupID) = lease.map { ($0, $0) } ?? (self.userID, self.groupID)
        if asRoot {
            for bind in command.writableBinds { try handOver(bind.host, userID: userID, groupID: groupID) }
        }
        let reportDirectory = asRoot && tools.time != nil ? try Self.makePrivateDirectory() : nil
        defer { if let reportDirectory { try? FileManager.default.removeItem(atPath: reportDirectory) } }
        let invocation = BubblewrapInvocation(
            tools: tools, userID: userID, groupID: groupID, asRoot: asRoot, reportDirectory: reportDirectory)
        // A cgroup per run (root only): memory of all processes together, pids, CPU. The run
        // enters it through a constant script before bubblewrap starts, so nothing escapes it.
        let cgroup = asRoot && policy.useCgroup ? RunCgroup.make(memoryBytes: policy.memoryBytes, maxProcesses: policy.maxProcesses + 8) : nil
        var executable = tools.bubblewrap
        var arguments = ["bwrap"] + invocation.arguments(command, policy)
        if let cgroup {
            executable = "/bin/sh"
            arguments = ["sh", "-c", RunCgroup.enterScript, "sh"] + cgroup.directories + ["--", tools.bubblewrap] + arguments.dropFirst()
        }
        // The filter goes to bubblewrap on a pipe holding it (a few hundred bytes: it fits the
        // pipe's buffer), read to its end before the program starts.
        var filterDescriptor: Int32?
        if let filter = command.syscallFilter {
            let (readEnd, writeEnd) = try SpawnExtensions.closeOnExecPipe()
            let program = filter.program
            let written = program.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            close(writeEnd)
            guard written == program.count else {
                close(readEnd)
                throw SandboxError.spawnFailed(call: "write seccomp filter", errno: errno)
            }
            filterDescriptor = readEnd
        }
        defer { if let filterDescriptor { close(filterDescriptor) } }
        let result: ProcessRunner.Result
        do {
            result = try ProcessRunner(
                executable: executable, arguments: arguments,
                environment: command.environmentStrings, stdin: command.stdin, statusPipe: true, recordPipe: command.recordPipe,
                outputLimit: policy.outputBytes, wallClock: policy.wallClock, killProcessGroup: false,
                passedDescriptor: command.passedDescriptor, filterDescriptor: filterDescriptor, stopDescriptor: command.stopDescriptor,
                onStart: command.onStart
            ).run()
        } catch {
            _ = cgroup?.finish()
            throw error
        }
        let usage = cgroup?.finish()

        let status = String(decoding: result.status, as: UTF8.self)
        if let sandboxInit = Self.jsonInteger("child-pid", in: status) { Self.waitUntilGone(pid_t(sandboxInit)) }
        if result.killed == nil, Self.jsonInteger("exit-code", in: status) == nil {
            throw SandboxError.setupFailed(String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let report = reportDirectory.flatMap { try? String(contentsOfFile: $0 + "/report", encoding: .utf8) }
            .flatMap(ResourceReport.parse)
        var outcome = Self.outcome(result, report: report, statusHidesSignals: true)
        if let usage {
            if outcome.termination != .exited(0), outcome.termination != .timedOut {
                if usage.oomKilled {
                    outcome.termination = .memoryLimitExceeded
                } else if usage.killedFromOutside {
                    outcome.termination = .killedFromOutside
                }
            }
            outcome.cpuSeconds = usage.cpuSeconds ?? outcome.cpuSeconds
            outcome.groupPeakMemoryBytes = usage.peakMemoryBytes
        }
        outcome.cgroupLimited = usage != nil
        return outcome
    }
}
