import Foundation

/// Runs a trusted tool (the Swift build, the compiler's import listing, git's credential helper;
/// never student code) on the host through ``ProcessRunner``, with a wall-clock limit and its
/// output captured and capped.
///
/// The tool gets the grader's environment (or the one given), standard input from the given
/// bytes or `/dev/null`, and a session of its own: when the limit fires, or output passes the
/// cap, every process of the session is killed — a build's compiler jobs included, which the
/// build engine starts in process groups of their own — and the run returns only once none is
/// left, so no job of a stopped build writes into the workspace afterwards.
/// Blocks the calling thread until the tool has been reaped.
enum ToolRunner {
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        /// The tool wrote more than the output limit and was stopped for it (status 137 then
        /// comes from the runner's own kill, not from outside).
        var outputLimited = false
        /// Standard output, and standard error interleaved as written unless kept apart, cut at
        /// the output limit.
        var output: String
        var seconds: Double
    }

    /// Runs `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: The tool's whole environment; `nil` passes the grader's own.
    ///   - input: Bytes on the tool's standard input (`nil`: `/dev/null`).
    ///   - outputLimit: Bytes of output kept; a tool that writes more is stopped.
    ///   - includeErrors: Standard error in ``Outcome/output`` too (else it is dropped).
    /// - Throws: ``SandboxError/spawnFailed(call:errno:)`` if the tool cannot be started.
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        input: Data? = nil, timeout: TimeInterval, outputLimit: Int = 1 << 20, includeErrors: Bool = true
    ) throws -> Outcome {
        let variables = environment ?? ProcessInfo.processInfo.environment
        var runner = ProcessRunner(
            executable: executable, arguments: [executable] + arguments,
            environment: variables.map { "\($0.key)=\($0.value)" }.sorted(), stdin: input,
            workingDirectory: directory?.path, outputLimit: outputLimit,
            wallClock: .milliseconds(Int64((max(0, timeout) * 1000).rounded(.up))), killProcessGroup: true)
        runner.mergeErrorIntoOutput = includeErrors
        runner.ownSession = true
        let result = try runner.run()
        let status: Int32
        if (result.exit.status & 0x7f) == 0 {
            status = (result.exit.status >> 8) & 0xff  // exited: its exit code
        } else {
            status = 128 + (result.exit.status & 0x7f)  // killed by a signal, as a shell reports it
        }
        return Outcome(
            status: status, timedOut: result.killed == .wallClock, outputLimited: result.killed == .output,
            output: String(decoding: result.stdout, as: UTF8.self), seconds: result.wallSeconds)
    }

    /// The absolute path of `tool` on PATH, if any.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
