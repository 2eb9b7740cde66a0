import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program for a test with a deadline, its output in a file rather than a pipe.
///
/// A test that reads a child's output from a pipe to its end waits for *every* process that
/// inherited the pipe: a browser's crash handler, a daemon that did not close its standard
/// streams. That wait has no bound, and one such test stops the whole suite. Here the output
/// goes to a temporary file, the program gets a process group of its own, and when it exits or
/// the deadline passes the whole group is killed. Blocking: returns within `timeout` plus a moment.
public struct BoundedProcess {
    /// How a run ended.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal; -1 when the deadline killed it.
        public var status: Int32
        /// Standard output and standard error together.
        public var output: String
        /// Whether the deadline passed and the program was killed.
        public var timedOut: Bool
    }

    /// Runs `executable` with `arguments` (and `environment` merged over this process's) for at
    /// most `timeout` seconds.
    /// - Parameter workingDirectory: Where the program starts (default: here).
    /// - Parameter discardErrors: Send standard error to `/dev/null` instead of the output.
    /// - Parameter killGroupAfterExit: Also kill what the program left in its process group when
    ///   it exits by itself (false for a script that starts daemons meant to outlive it).
    /// - Throws: If the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval,
        killGroupAfterExit: Bool = true, discardErrors: Bool = false, workingDirectory: String? = nil
    ) throws -> Outcome {
        if let workingDirectory {
            // A constant script changes directory, then becomes the program.
            return try run(
                "/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", workingDirectory, executable] + arguments, environment: environment,
                timeout: timeout, killGroupAfterExit: killGroupAfterExit, discardErrors: discardErrors)
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bounded-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let fd = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        if discardErrors {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, fd, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw POSIXError(.init(rawValue: spawned) ?? .EIO) }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        if killGroupAfterExit { kill(-pid, SIGKILL) }  // whatever the program left behind in its group
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let code: Int32 = timedOut ? -1 : ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
        return Outcome(status: code, output: output, timedOut: timedOut)
    }
}
