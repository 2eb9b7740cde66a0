import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Sandbox {
    /// Builds the outcome from the supervisor's result and, if there is one, `time`'s report.
    /// - Parameter statusHidesSignals: The exit status came through a wrapper (bubblewrap or
    ///   `time`) that turns death by signal N into status 128 + N.
    static func outcome(_ result: ProcessRunner.Result, report: ResourceReport?, statusHidesSignals: Bool) -> SandboxOutcome {
        var termination: SandboxOutcome.Termination
        switch result.killed {
        case .wallClock?: termination = .timedOut
        case .output?: termination = .outputLimitExceeded
        case .stopped?: termination = .stoppedByGrader
        case nil:
            if let signal = WaitStatus.signal(result.exit.status) {
                termination = .signaled(signal)
            } else {
                let code = WaitStatus.exitCode(result.exit.status) ?? -1
                termination = .exited(code)
                if let signal = report?.signal {
                    termination = .signaled(signal)
                } else if report == nil, statusHidesSignals, code > 128, code < 128 + 65 {
                    termination = .signaled(code - 128)  // best guess without a report
                }
            }
        }
        var outcome = SandboxOutcome(
            termination: termination, stdout: result.stdout, stderr: result.stderr, wallSeconds: result.wallSeconds,
            cpuSeconds: report?.cpuSeconds, peakMemoryBytes: report?.peakMemoryBytes)
        outcome.record = result.record
        return outcome
    }

    /// The integer value of `"key": N` in bubblewrap's status JSON, if present.
    static func jsonInteger(_ key: String, in status: String) -> Int? {
        guard let range = status.range(of: "\"\(key)\":") else { return nil }
        return Int(status[range.upperBound...].drop(while: { $0 == " " }).prefix(while: \.isNumber))
    }

    /// Waits (at most two seconds) until the sandbox's init process is gone or a zombie: by then
    /// the kernel has killed and reaped every other process of its PID namespace.
    static func waitUntilGone(_ pid: pid_t) {
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        while ContinuousClock.now < deadline {
            if kill(pid, 0) != 0, errno == ESRCH { return }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z"
            {
                return
            }
            usleep(1000)
        }
    }

    /// Creates a directory only its owner (root) can enter.
    static func makePrivateDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/turnstile-report-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw SandboxError.spawnFailed(call: "mkdtemp", errno: errno) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Gives the run's user (`userID`/`groupID`) ownership of `path` and everything under it
    /// (never following symlinks).
    func handOver(_ path: String, userID: UInt32, groupID: UInt32) throws {
        var paths = [path]
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            while let relative = enumerator.nextObject() as? String { paths.append(path + "/" + relative) }
        }
        for item in paths where lchown(item, userID, groupID) != 0 {
            throw SandboxError.cannotPrepareBind(path: item, message: String(cString: strerror(errno)))
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { chmod(path, (info.st_mode & 0o7777) | 0o700) }
    }
}
