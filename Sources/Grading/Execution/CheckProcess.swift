import CheckKit
import Foundation

/// Runs one check of a built checks executable in its own process — in the sandbox when
/// grading, directly when a student tests their own code — and judges the result.
///
/// A fresh random nonce goes to the process on a pipe as its standard input, which the harness
/// reads to its end before any code under test runs; the record comes back on a second pipe, file
/// descriptor 4, opened before the process starts. A result counts only if that record carries
/// the nonce, names the check, and the process exited cleanly. What the process printed on
/// standard output and error is the student's own text: kept apart as ``Result/studentOutput``,
/// never part of a verdict or its message.
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
        /// The end of what the process printed on standard output and error: the student's own
        /// text (feedback only, shown labelled as such).
        public var studentOutput: String
        /// The harness's crash report (thread, replay seed, last steps) when the code under test
        /// crashed; it names schedule details, so show it to students for public checks only.
        public var crashReport: String?
        /// The engine the harness announced before any code under test ran (`controlled` or
        /// `native`); nil when nothing was announced.
        public var engine: String?
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
    ///
    /// The wall clock is a safety net, and when it fires the student is not the one charged
    /// without proof. A controlled check (bounded by schedules and steps) stopped by it is run
    /// once more with the wall clock at least four times the CPU-time limit: if the CPU limit
    /// stops it then, the code is too slow whatever the load (`timedOut`, "too slow"); if the
    /// wall clock fires again, ``CheckVerdict/incomplete``, an infrastructure status. A native
    /// check is run once more at twice the limit before its timeout counts, and the message then
    /// says whether it made no progress at all or was only slow.
    /// - Parameter wallSeconds: This check's own wall-clock limit, instead of the policy's.
    ///
    /// With a `counterpart` (a process assignment's student program), `executable` is the
    /// grader's peer: the program runs in its own sandbox with one end of a fresh socket pair as
    /// its bootstrap descriptor, the peer (grader code alone) runs outside it with the other end
    /// and the program's pid, and the peer's record alone is the verdict. The program is stopped
    /// when the peer ends; what it printed is the student's output. A peer stopped by the wall
    /// clock, or one that says its wait ran past its safety limit, is ``CheckVerdict/incomplete``.
    /// - Parameters:
    ///   - counterpart: The student's program of a process assignment, if any.
    ///   - counterpartInstances: How many instances of it the peer drives, each in its own
    ///     sandbox (``AssignmentManifest/CheckEntry/programs``): 1 or 2.
    public func run(
        checkID: String, executable: URL, replay: UInt64? = nil, extraArguments: [String] = [], wallSeconds: Int? = nil,
        counterpart: URL? = nil, counterpartInstances: Int = 1
    ) throws -> Result {
        var policy = self.policy
        if let wallSeconds { policy.wallClock = .seconds(wallSeconds) }
        if let counterpart {
            // A peer is the grader's code, so a peer that ends without a verdict (killed by the
            // machine, or a grader bug) is never the student's: tried once more, and ended so
            // again the check is incomplete, shown to the instructor and run again next batch.
            let peerRun = {
                try runPeer(
                    checkID: checkID, peer: executable, program: counterpart, instances: counterpartInstances, extraArguments: extraArguments,
                    policy: policy)
            }
            var result = try peerRun()
            if result.verdict == .error { result = try peerRun() }
            guard result.verdict == .error else { return result }
            result.verdict = .incomplete
            result.message = result.message.replacingOccurrences(of: "without a verdict", with: "twice without a verdict")
            return result
        }
        let first = try runOnce(checkID: checkID, executable: executable, replay: replay, extraArguments: extraArguments, policy: policy)
        guard first.result.verdict == .timedOut else { return first.result }
        if first.header.engine == "controlled" {
            // Its work is fixed by its schedules and steps, so CPU time, not the wall clock,
            // says whether the code is too slow. Confirm once with the wall clock far above the
            // CPU budget: on a machine that gives the run a quarter of a core, the CPU limit (a
            // function of the commit and the processor, not of the load) decides.
            var confirm = policy
            confirm.wallClock = max(policy.wallClock * 2, .seconds(policy.cpuSeconds * 4))
            let second = try runOnce(checkID: checkID, executable: executable, replay: replay, extraArguments: extraArguments, policy: confirm)
            guard second.result.verdict == .timedOut, !second.result.message.hasPrefix("too slow") else { return second.result }
            var result = second.result
            result.verdict = .incomplete
            result.message = "stopped twice by the grader's safety limit (\(policy.wallClock), then \(confirm.wallClock)) before its schedules ran out or its CPU time was used up (the machine was too busy); this says nothing about your code, and the check will be run again"
            return result
        }
        var doubled = policy
        doubled.wallClock = policy.wallClock * 2
        doubled.cpuSeconds = policy.cpuSeconds * 2
        let second = try runOnce(checkID: checkID, executable: executable, replay: replay, extraArguments: extraArguments, policy: doubled)
        guard second.result.verdict == .timedOut else { return second.result }
        var result = second.result
        let done = second.header.progress
        if let total = second.header.iterations, done > 0 {
            result.message = "too slow: \(done) of \(total) runs finished within \(doubled.wallClock) (the check was given twice its \(policy.wallClock) limit on a second try); look for a wait that sleeps too long or a lock held too long"
        } else {
            result.message = "no progress: not even one run finished within \(doubled.wallClock) (twice the \(policy.wallClock) limit, on a second try): a deadlock, a lost wakeup or an endless loop"
        }
        return result
    }

    /// The property a failed result broke, as the gradebook records it (nil when passed).
    public static func property(of result: Result) -> String? { SubmissionAttempt.property(of: result) }

    /// What the harness said on the record pipe before its record.
    struct Header {
        /// `controlled` or `native`, when announced.
        var engine: String?
        /// How many native iterations the run was to make.
        var iterations: Int?
        /// How many native iterations had finished.
        var progress = 0
    }

    /// Splits the record pipe into the harness's header lines and the rest (record or crash report).
    static func splitHeader(_ data: Data) -> (Header, Data) {
        var header = Header()
        var rest = data[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: rest[..<newline], as: UTF8.self)
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2, ["engine", "iterations", "progress"].contains(words[0]) else { break }
            switch words[0] {
            case "engine": header.engine = words[1]
            case "iterations": header.iterations = Int(words[1])
            default: header.progress = max(header.progress, Int(words[1]) ?? 0)
            }
            rest = rest[rest.index(after: newline)...]
        }
        return (header, Data(rest))
    }

    /// The whole environment of every check run and every student program: no backtracer (a
    /// crash is reported by the harness), a UTF-8 locale, and deterministic hashing, so the
    /// order in which a `Set` or `Dictionary` in the student's code (or the checks') iterates —
    /// and with it the number of runtime steps and the schedules a seeded strategy picks — is
    /// the same on every run of the same commit.
    static let runEnvironment = ["SWIFT_BACKTRACE": "enable=no", "LANG": "C.UTF-8", "SWIFT_DETERMINISTIC_HASHING": "1"]

    func runOnce(
        checkID: String, executable: URL, replay: UInt64?, extraArguments: [String], policy: SandboxPolicy,
        peerOf program: ProgramRun? = nil, alsoOf second: ProgramRun? = nil
    ) throws -> (result: Result, header: Header) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let nonce = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        var arguments = ["run", checkID, "--nonce-stdin", "--result-fd", "4"] + extraArguments
        if let replay { arguments += ["--replay", "0x" + String(replay, radix: 16)] }
        let environment = Self.runEnvironment
        var command: SandboxedCommand
        let outcome: SandboxOutcome
        switch program == nil ? isolation : .none {
        case .sandbox(let sandbox, let hiddenPaths):
            command = SandboxedCommand(
                executable: "/sandbox/bin/checks", arguments: arguments,
                readOnlyBinds: [(host: executable.path, sandbox: "/sandbox/bin/checks")],
                writableBinds: [(host: scratch.path, sandbox: "/sandbox/scratch")], hiddenPaths: hiddenPaths,
                workingDirectory: "/sandbox/scratch", environment: environment, stdin: Data(nonce.utf8))
            command.recordPipe = true
            outcome = try sandbox.run(command, policy: policy)
        case .none:
            command = SandboxedCommand(
                executable: executable.path, arguments: arguments,
                workingDirectory: scratch.path, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a },
                stdin: Data(nonce.utf8))
            command.recordPipe = true
            if let program {
                // The peer: grader code, outside the program's sandbox, holding the other end
                // of the bootstrap socket and told where the program is.
                command.arguments += ["--counterpart-pid", String(program.pid), "--shared-directory", program.sharedDirectory]
                command.passedDescriptor = program.peerEnd
                if let second {
                    command.arguments += [
                        "--second-counterpart-pid", String(second.pid), "--second-shared-directory", second.sharedDirectory,
                    ]
                    command.secondPassedDescriptor = second.peerEnd
                }
            }
            outcome = try Sandbox.runUnsandboxed(command, policy: policy)
        }
        let stderr = String(decoding: outcome.stderr.suffix(8 << 10), as: UTF8.self)
        let stdout = String(decoding: outcome.stdout.suffix(8 << 10), as: UTF8.self)
        let (header, body) = Self.splitHeader(outcome.record)
        let crashMarker = Data(CrashReporter.crashMarker.utf8)
        let crashReport = body.starts(with: crashMarker) ? String(decoding: body.dropFirst(crashMarker.count), as: UTF8.self) : nil
        let record = crashReport == nil ? try? JSONDecoder().decode(CheckRunRecord.self, from: body) : nil
        let valid = record.map { $0.nonce == nonce && $0.check == checkID } ?? false
        var result = Result(
            checkID: checkID, verdict: .error, message: "", record: valid ? record : nil, wallSeconds: outcome.wallSeconds,
            peakMemoryBytes: outcome.peakMemoryBytes, studentOutput: Self.joinOutput(stdout: stdout, stderr: stderr),
            crashReport: crashReport, engine: header.engine)
        if program != nil {
            return (Self.judgePeer(result, outcome: outcome, valid: valid, record: record), header)
        }
        if Self.takeRecord(&result, outcome: outcome, valid: valid, record: record) { return (result, header) }
        switch outcome.termination {
        case .timedOut:
            result.verdict = .timedOut
            result.message = "killed after the \(policy.wallClock) wall-clock limit: a deadlock, an endless loop, or far too slow"
        case .outputLimitExceeded:
            result.verdict = .error
            result.message = "your code printed more than the \(policy.outputBytes >> 10) KiB output limit and was stopped"
        case .memoryLimitExceeded:
            result.verdict = .crashed
            result.message = "killed: over the memory limit of \(policy.memoryBytes >> 20) MiB (all your processes together)"
        case .killedFromOutside:
            result.verdict = .incomplete
            result.message = "killed by the machine's out-of-memory killer, not at your memory limit (the grader's machine ran out of memory); this says nothing about your code, and the check will be run again"
        case .signaled(SIGXCPU):
            // The CPU-time limit: a measure of the work the code did, whatever the load.
            result.verdict = .timedOut
            result.message = "too slow: the check used all \(policy.cpuSeconds) s of CPU time it is given (far more than a correct solution needs); look for a loop that does much work between synchronization operations, or spins without yielding"
        case .signaled(let signal):
            result.verdict = .crashed
            result.message = Self.crashMessage(signal: signal, stderr: stderr)
        default:
            result.verdict = .error
            result.message = "the check ended (\(outcome.termination)) without a valid result record"
        }
        return (result, header)
    }

    /// The crash as a student can act on it: Swift's own message with the file and line first,
    /// when the runtime printed one, then the signal.
    static func crashMessage(signal: Int32, stderr: String) -> String {
        let fatal = stderr.split(separator: "\n").last { $0.contains("Fatal error:") || $0.contains("Precondition failed") }
        let signalText = "crashed with signal \(signal) (\(signalName(signal)))"
        guard let fatal else { return signalText }
        return "\(fatal.trimmingCharacters(in: .whitespaces))\n\(signalText)"
    }

    /// Standard output then standard error, each only if not empty, without the Swift
    /// runtime's stack dump after a crash (addresses help nobody; the message is shown apart).
    static func joinOutput(stdout: String, stderr: String) -> String {
        let cleaned = stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            let frame = words.count >= 3 && words[0].allSatisfy(\.isNumber) && words[2].hasPrefix("0x")
            return !(frame || line.hasPrefix("Current stack trace:") || line.contains("Fatal error:")
                || line.contains("Precondition failed") || line.hasPrefix("Stack dump:"))
        }.joined(separator: "\n")
        let parts = [stdout, cleaned].filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return parts.joined(separator: stdout.hasSuffix("\n") ? "" : "\n")
    }

    /// Sets the verdict a valid record gives when its writer ended as it should (0 after a
    /// pass, 1 after a failure); returns whether it did. Anything else is for the caller to judge.
    static func takeRecord(_ result: inout Result, outcome: SandboxOutcome, valid: Bool, record: CheckRunRecord?) -> Bool {
        guard valid, let record else { return false }
        switch outcome.termination {
        case .exited(0) where record.passed:
            result.verdict = .passed
        case .exited(1) where !record.passed:
            result.verdict = .failed
            result.message = record.message
        default:
            return false
        }
        return true
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
