import CheckKit
import Foundation

/// Runs one check of a built checks executable in its own process — in the sandbox when
/// grading, directly when a student tests their own code — and judges the result.
///
/// A fresh random nonce goes to the process on standard input, which the harness reads before
/// any code under test runs; a result record counts only if it carries that nonce, names the
/// check, and the process exited cleanly. Standard error is kept only as feedback text.
public struct CheckProcess: Sendable {
    /// Where the check runs.
    public enum Isolation: Sendable {
        /// Under bubblewrap, with the grader's limits; `hiddenPaths` are covered inside.
        case sandbox(Sandbox, hiddenPaths: [String])
        /// Directly on this machine with the same limits where possible: not a security
        /// boundary, for a student's own code only.
        case none
    }

    /// What one check run produced.
    public struct Result: Sendable {
        /// The check that was run.
        public var checkID: String
        /// How the run ended, judged from the exit and the harness's record.
        public var verdict: CheckVerdict
        /// What failed and why, for people.
        public var message: String
        /// The harness's record, when valid.
        public var record: CheckRunRecord?
        /// Wall-clock seconds from the process's start to its exit or kill.
        public var wallSeconds: Double
        /// Largest resident set of any one process of the run, in bytes; nil when not measured.
        public var peakMemoryBytes: Int?
        /// The last lines of standard error (feedback only; the student controls this text).
        public var stderrExcerpt: String
    }

    /// Where each check runs.
    public let isolation: Isolation
    /// The limits each check runs under.
    public let policy: SandboxPolicy

    /// Creates a runner of checks.
    /// - Parameters:
    ///   - isolation: In the sandbox (grading) or directly (a student's own code).
    ///   - policy: The limits of each run, usually ``policy(for:)`` of the assignment's limits.
    public init(isolation: Isolation, policy: SandboxPolicy) {
        self.isolation = isolation
        self.policy = policy
    }

    /// The sandbox policy for an assignment's limits.
    public static func policy(for limits: AssignmentManifest.Limits) -> SandboxPolicy {
        SandboxPolicy(
            cpuSeconds: limits.cpuSeconds, memoryBytes: limits.memoryMiB << 20, fileSizeBytes: limits.fileSizeMiB << 20,
            maxProcesses: limits.processes, wallClock: .seconds(limits.wallSeconds), outputBytes: limits.outputKiB << 10)
    }

    /// Runs check `checkID` of `executable`, optionally replaying one schedule.
    public func run(checkID: String, executable: URL, replay: UInt64? = nil, extraArguments: [String] = []) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let nonce = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        var arguments = ["run", checkID, "--nonce-stdin"] + extraArguments
        if let replay { arguments += ["--replay", "0x" + String(replay, radix: 16)] }
        let environment = ["SWIFT_BACKTRACE": "enable=no", "LANG": "C.UTF-8"]
        let outcome: SandboxOutcome
        let resultFile: URL = scratch.appendingPathComponent("result.json")
        switch isolation {
        case .sandbox(let sandbox, let hiddenPaths):
            let command = SandboxedCommand(
                executable: "/sandbox/bin/checks", arguments: arguments + ["--result", "/sandbox/scratch/result.json"],
                readOnlyBinds: [(host: executable.path, sandbox: "/sandbox/bin/checks")],
                writableBinds: [(host: scratch.path, sandbox: "/sandbox/scratch")], hiddenPaths: hiddenPaths,
                workingDirectory: "/sandbox/scratch", environment: environment, stdin: Data(nonce.utf8))
            outcome = try sandbox.run(command, policy: policy)
        case .none:
            let command = SandboxedCommand(
                executable: executable.path, arguments: arguments + ["--result", resultFile.path],
                workingDirectory: scratch.path, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a },
                stdin: Data(nonce.utf8))
            outcome = try Sandbox.runUnsandboxed(command, policy: policy)
        }
        let stderr = String(decoding: outcome.stderr.suffix(8 << 10), as: UTF8.self)
        let stdout = String(decoding: outcome.stdout.suffix(16 << 10), as: UTF8.self)
        let record = (try? Data(contentsOf: resultFile)).flatMap { try? JSONDecoder().decode(CheckRunRecord.self, from: $0) }
        let valid = record.map { $0.nonce == nonce && $0.check == checkID } ?? false
        var result = Result(
            checkID: checkID, verdict: .error, message: "", record: valid ? record : nil, wallSeconds: outcome.wallSeconds,
            peakMemoryBytes: outcome.peakMemoryBytes, stderrExcerpt: stderr.isEmpty ? stdout : stderr)
        switch outcome.termination {
        case .exited(0) where valid && record!.passed:
            result.verdict = .passed
        case .exited(1) where valid && !record!.passed:
            result.verdict = .failed
            result.message = record!.message
        case .timedOut:
            result.verdict = .timedOut
            result.message = "killed after the \(policy.wallClock) wall-clock limit: a deadlock, an endless loop, or far too slow"
        case .signaled(let signal):
            result.verdict = .crashed
            result.message = "crashed with signal \(signal) (\(Self.signalName(signal)))" + Self.lastLines(stderr, 12)
        default:
            result.verdict = .error
            result.message = "the check ended (\(outcome.termination)) without a valid result record" + Self.lastLines(stderr, 12)
        }
        return result
    }

    static func lastLines(_ text: String, _ count: Int) -> String {
        let lines = text.split(separator: "\n").suffix(count)
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "a trap: a Swift runtime error such as an index out of range or fatalError"
        case SIGTRAP: "a trap: a Swift runtime error"
        case SIGSEGV: "a memory access violation or a stack overflow"
        case SIGKILL: "killed: usually the memory or CPU limit"
        case SIGXCPU: "the CPU-time limit"
        case SIGXFSZ: "the file-size or output limit"
        case SIGABRT: "abort"
        default: "signal \(signal)"
        }
    }
}
