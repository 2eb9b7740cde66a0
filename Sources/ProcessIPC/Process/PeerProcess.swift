#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A supervised child process started with `posix_spawn` (never `fork` without `exec`, which
/// is unsafe in a multithreaded Swift process).
///
/// - Descriptors: ``spawn(_:arguments:environment:passing:)`` gives the child the listed
///   descriptors as 3, 4, 5, ... (everything else this module opens is close-on-exec).
/// - Exit status: ``wait(timeout:)`` reaps the child and returns how it ended; ``isRunning``
///   reaps it without blocking once it has ended, so no zombie lingers.
/// - Cleanup: ``terminate(grace:)`` sends SIGTERM, then SIGKILL after the grace period; if the
///   object is released while the child still runs, the child is killed and reaped.
///
/// Thread-safe: the reaped status sits behind a mutex.
public final class PeerProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let status = Mutex<ExitStatus?>(nil)

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments` (the program name is added as argument 0).
    /// - Parameters:
    ///   - executable: where the program is and what to put before `arguments`.
    ///   - environment: extra or replaced variables; the rest is inherited.
    ///   - descriptors: parent descriptors the child receives as 3, 4, ... in this order.
    /// - Throws: ``IPCError`` `.peerUnavailable` if it cannot be started.
    public static func spawn(
        _ executable: PeerExecutable, arguments: [String], environment: [String: String] = [:],
        passing descriptors: [Int32] = []
    ) throws -> PeerProcess {
        // Move the descriptors out of the way first, so dup2 onto 3, 4, ... never overwrites a
        // source that is still to be copied.
        var staged: [Int32] = []
        defer { staged.forEach { _ = close($0) } }
        for fd in descriptors {
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 100)
            guard copy >= 0 else { throw IPCError.system("dup descriptor \(fd) for the peer") }
            staged.append(copy)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, fd) in staged.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + index)) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)  // this process may ignore SIGPIPE; the child starts clean
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + executable.leadingArguments + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = mergedEnvironment(environment).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw IPCError(.peerUnavailable, "posix_spawn \(executable.path)", errno: result)
        }
        ResourceLedger.recordProcess(pid)
        return PeerProcess(pid: pid)
    }

    private static func mergedEnvironment(_ overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let key = String(text.prefix { $0 != "=" })
            if overrides[key] == nil { entries.append(text) }
            index += 1
        }
        return entries + overrides.map { "\($0.key)=\($0.value)" }
    }

    /// How the child ended, if it has ended and been reaped.
    public var exitStatus: ExitStatus? { status.withLock { $0 } }

    /// Whether the child still runs; reaps it (no zombie) if it has ended.
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// A liveness check for channels talking to this child.
    public var liveness: PeerLiveness { PeerLiveness { [self] in self.isRunning } }

    /// Waits for the child to end and reaps it.
    /// - Parameter timeout: the longest wait; nil waits without limit.
    /// - Throws: ``IPCError`` `.timedOut` if it is still running (it keeps running).
    @discardableResult
    public func wait(timeout: Duration? = nil) throws -> ExitStatus {
        if timeout == nil, let ended = reap(blocking: true) { return ended }
        let deadline = Deadline(after: timeout)
        var pause: UInt32 = 200
        while true {
            if let ended = reap(blocking: false) { return ended }
            if deadline.hasPassed { throw IPCError(.timedOut, "wait for peer \(pid)") }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// Sends `signal` to the child if it still runs.
    public func send(signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Ends the child: SIGTERM, then SIGKILL if it is still running after `grace`; reaps it.
    @discardableResult
    public func terminate(grace: Duration = .milliseconds(500)) -> ExitStatus {
        if let ended = reap(blocking: false) { return ended }
        kill(pid, SIGTERM)
        if let ended = try? wait(timeout: grace) { return ended }
        kill(pid, SIGKILL)
        return (try? wait(timeout: nil)) ?? .signaled(SIGKILL)
    }

    private func reap(blocking: Bool) -> ExitStatus? {
        status.withLock { status in
            if let status { return status }
            var word: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &word, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
            if result == pid { status = ExitStatus(waitStatus: word) }
            if result < 0 && errno == ECHILD { status = .signaled(0) }  // reaped elsewhere
            return status
        }
    }

    deinit {
        if reap(blocking: false) == nil {
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }
}
