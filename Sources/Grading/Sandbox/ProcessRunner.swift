import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The grader's one way of starting a process: builds (in the sandbox or on the host), checks,
/// program instances and their peers, the compiler's import listing and git's credential helper
/// all go through it. It starts one process with `posix_spawn` (no shell) and supervises it: standard input from a
/// pipe holding the given bytes (not seekable: read once, it is gone) or `/dev/null`, standard
/// output and error into pipes read with a cap,
/// a wall-clock deadline, and `wait4` for the exit status and resource usage.
///
/// The child gets a fresh process group, default signal dispositions, an empty signal mask,
/// exactly the given environment, and no file descriptors of the grader beyond 0, 1, 2 (and 3
/// when a status pipe is asked for, 4 when a record pipe is). `run` blocks its thread until the child has been reaped.
struct ProcessRunner {
    /// Why the supervisor killed the child.
    enum KillReason { case wallClock, output, stopped }

    /// What one supervised run produced.
    struct Result {
        var exit: ExitWatcher.Exit
        var stdout: Data
        var stderr: Data
        /// What the child wrote to file descriptor 3, when `statusPipe` was set.
        var status: Data
        /// What the child wrote to file descriptor 4, when `recordPipe` was set.
        var record: Data
        var killed: KillReason?
        var wallSeconds: Double
    }

    var executable: String
    /// The complete `argv`, including `argv[0]`.
    var arguments: [String]
    var environment: [String]
    var stdin: Data?
    /// Working directory of the child (nil: inherit).
    var workingDirectory: String?
    /// Give the child a pipe on file descriptor 3 and collect what it writes there.
    var statusPipe = false
    /// Give the child a pipe on file descriptor 4 (the check harness's result record) and
    /// collect what it writes there.
    var recordPipe = false
    /// Give the child one pipe for both standard output and standard error (in ``Result/stdout``,
    /// interleaved as written; ``Result/stderr`` stays empty), as a terminal would show a tool's
    /// output.
    var mergeErrorIntoOutput = false
    var outputLimit: Int
    var wallClock: Duration
    /// Kill the child's whole process group (not only the child) on timeout and after exit.
    var killProcessGroup: Bool
    /// Start the child in a session of its own and, on timeout and after exit, kill every
    /// process of that session and wait until none is left. A process group is not enough for a
    /// build: SwiftPM's build engine starts each compiler and linker job in a process group of
    /// its own, so killing `swift build`'s group left them compiling (and writing object files
    /// into the workspace after the next student's were installed). A job cannot leave the
    /// session without `setsid`, which the toolchain does not call.
    var ownSession = false
    /// A descriptor the child gets as ``SandboxedCommand/passedDescriptorNumber``.
    var passedDescriptor: Int32?
    /// A descriptor the child gets as ``SandboxedCommand/secondPassedDescriptorNumber``.
    var secondPassedDescriptor: Int32?
    /// A descriptor the child gets as ``SandboxedCommand/syscallFilterDescriptorNumber`` (the
    /// filter bubblewrap reads).
    var filterDescriptor: Int32?
    /// Readable or hung up: kill the child (``KillReason/stopped``).
    var stopDescriptor: Int32?
    /// Told the child's pid right after it started.
    var onStart: (@Sendable (Int32) -> Void)?

    /// Runs the process to completion, or until a limit makes the supervisor kill it.
    /// - Throws: ``SandboxError/spawnFailed(call:errno:)`` if the process cannot be started.
    func run() throws -> Result {
        let stdinFD = try openStdin()
        defer { close(stdinFD) }
        var targets: [Int32] = mergeErrorIntoOutput ? [1] : [1, 2]
        if statusPipe { targets.append(3) }
        if recordPipe { targets.append(4) }
        let streams = try targets.map { _ in try Pipe2() }
        defer { streams.forEach { $0.closeBoth() } }

        let start = ContinuousClock.now
        var writers = Array(zip(targets, streams.map(\.write)))
        if mergeErrorIntoOutput { writers.append((2, streams[0].write)) }
        if let passedDescriptor { writers.append((SandboxedCommand.passedDescriptorNumber, passedDescriptor)) }
        if let secondPassedDescriptor { writers.append((SandboxedCommand.secondPassedDescriptorNumber, secondPassedDescriptor)) }
        if let filterDescriptor { writers.append((SandboxedCommand.syscallFilterDescriptorNumber, filterDescriptor)) }
        let pid = try spawn(stdinFD: stdinFD, writers: writers)
        streams.forEach { $0.closeWrite() }
        onStart?(pid)
        let watcher = try ExitWatcher(pid: pid)
        var collector = OutputCollector(fds: streams.map(\.read), limit: outputLimit, watcher: watcher.readFD, stop: stopDescriptor)

        var killed: KillReason?
        let deadline = start.advanced(by: wallClock)
        while watcher.result == nil {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { killed = .wallClock; break }
            switch collector.pollOnce(timeout: remaining) {
            case .going: continue
            case .overLimit: killed = .output
            case .stopRequested: killed = .stopped
            }
            break
        }
        if killed != nil, watcher.result == nil { kill(killProcessGroup ? -pid : pid, SIGKILL) }
        let exit = watcher.waitForExit()
        let wall = start.duration(to: .now)
        if killProcessGroup { kill(-pid, SIGKILL) }  // stragglers left in the group
        if ownSession { Self.killSession(pid) }
        if !collector.drain(), killed == nil { killed = .output }
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        func stream(_ target: Int32) -> Data { targets.firstIndex(of: target).map { collector.data[$0] } ?? Data() }
        return Result(
            exit: exit, stdout: stream(1), stderr: stream(2), status: stream(3), record: stream(4), killed: killed,
            wallSeconds: seconds)
    }

    /// A pipe's read end holding `stdin`, its write end closed (end of file after the bytes).
    private func openStdin() throws -> Int32 {
        guard let stdin else {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw SandboxError.spawnFailed(call: "open /dev/null", errno: errno) }
            return fd
        }
        let (readEnd, writeEnd) = try SpawnExtensions.closeOnExecPipe()
        // Small inputs (a nonce) fit the pipe's buffer; larger ones are fed by a thread.
        let feed = { @Sendable in
            var offset = 0
            while offset < stdin.count {
                let written = stdin.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
            close(writeEnd)
        }
        if stdin.count <= 4096 { feed() } else { Thread.detachNewThread(feed) }
        return readEnd
    }

    private func spawn(stdinFD: Int32, writers: [(target: Int32, fd: Int32)]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Every source is first copied above the targets' range, so no dup2 onto 0…5 can
        // overwrite a source still to be moved (a source numbered 4 would otherwise become the
        // record pipe before being moved to 5), and a source already at its target number still
        // loses close-on-exec (dup2 from another number clears it).
        var lifted: [Int32] = []
        defer { lifted.forEach { close($0) } }
        func lift(_ fd: Int32) throws -> Int32 {
            let high = fcntl(fd, F_DUPFD_CLOEXEC, 64)
            guard high >= 0 else { throw SandboxError.spawnFailed(call: "fcntl F_DUPFD_CLOEXEC", errno: errno) }
            lifted.append(high)
            return high
        }
        posix_spawn_file_actions_adddup2(&actions, try lift(stdinFD), 0)
        for (target, fd) in writers { posix_spawn_file_actions_adddup2(&actions, try lift(fd), target) }
        let highest = writers.map(\.target).max() ?? 2
        // A gap below the highest descriptor (3 when only the record pipe is asked for) gets
        // /dev/null, so the child holds nothing of the grader's there.
        for gap in 3..<max(3, highest) where !writers.contains(where: { $0.target == gap }) {
            posix_spawn_file_actions_addopen(&actions, gap, "/dev/null", O_RDONLY, 0)
        }
        try SpawnExtensions.closeFrom(&actions, highest + 1)
        if let workingDirectory { try SpawnExtensions.changeDirectory(&actions, workingDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        // A new session also makes the child the leader of a new process group (pgid = pid).
        let grouping = ownSession ? Self.spawnSetSID : Int32(POSIX_SPAWN_SETPGROUP)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | grouping))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw SandboxError.spawnFailed(call: "posix_spawn \(executable)", errno: status) }
        return pid
    }

    /// glibc's `POSIX_SPAWN_SETSID` (2.26 and later): the child calls `setsid`.
    static let spawnSetSID: Int32 = 0x80

    /// Kills every process whose session is `session` (the id of its leader), round after
    /// round until a scan of `/proc` finds none alive, for at most about two seconds. Killed
    /// processes of the session are reparented and reaped by init; zombies are not counted.
    static func killSession(_ session: pid_t) {
        for _ in 0..<200 {
            let members = sessionMembers(session)
            if members.isEmpty { return }
            for member in members { kill(member, SIGKILL) }
            usleep(10_000)
        }
    }

    /// The live processes of `session`, from `/proc/PID/stat` (state is field 3, session field 6).
    static func sessionMembers(_ session: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After the command name: state, ppid, pgrp, session, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, fields[0] != "Z", pid_t(fields[3]) == session else { return nil }
            return pid
        }
    }
}


/// A close-on-exec pipe whose ends are closed at most once.
private final class Pipe2 {
    private(set) var read: Int32 = -1
    private(set) var write: Int32 = -1

    init() throws {
        (read, write) = try SpawnExtensions.closeOnExecPipe()
    }

    func closeWrite() {
        if write >= 0 { close(write) }
        write = -1
    }

    func closeBoth() {
        closeWrite()
        if read >= 0 { close(read) }
        read = -1
    }
}
