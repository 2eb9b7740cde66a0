import Foundation

/// The command line of a checks executable (public or hidden checks of one assignment).
///
/// ```
/// checks list
/// checks run ID [--seed N] [--schedules N] [--replay SEED] [--long] [--result FILE] [--result-fd N] [--nonce-stdin]
/// ```
///
/// With `--result-fd N` the record goes to file descriptor `N`, a pipe the grader opened before
/// this process started, and so does a crash report (after ``CrashReporter/crashMarker``): the
/// code under test cannot reach a descriptor, so what arrives there is the harness's own word.
///
/// `run` prints a readable verdict, writes the ``CheckRunRecord`` as JSON to `--result` (or
/// nowhere), and exits 0 when the check passed, 1 when it failed, 2 on a usage error. With
/// `--nonce-stdin` it first reads the grader's nonce from standard input, before any code under
/// test runs, and echoes it in the record.
public enum CheckHarness {
    /// Parses `arguments` (without the program name), runs, and exits.
    public static func main(checks: [CheckDefinition], arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        guard let command = arguments.first else { usage("missing command") }
        switch command {
        case "list":
            if arguments.contains("--json") {
                // For `turnstile validate`: each check's id and what it declares beside its code.
                let entries = checks.map { ListedCheck(id: $0.id, title: $0.title, declaration: $0.declaration) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: (try? encoder.encode(entries)) ?? Data("[]".utf8), as: UTF8.self))
            } else {
                for check in checks { print("\(check.id)\t\(check.title)") }
            }
            exit(0)
        case "run":
            guard arguments.count >= 2, let check = checks.first(where: { $0.id == arguments[1] }) else {
                usage("run needs a check id; known: \(checks.map(\.id).joined(separator: ", "))")
            }
            exit(run(check, options: Array(arguments.dropFirst(2))))
        default:
            usage("unknown command \(command)")
        }
    }

    private static func run(_ check: CheckDefinition, options: [String]) -> Int32 {
        var overrides = CheckRunner.Overrides(long: ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] == "1")
        var resultPath: String?
        var resultDescriptor: Int32?
        var readNonce = false
        var index = 0
        func value() -> String {
            index += 1
            guard index < options.count else { usage("\(options[index - 1]) needs a value") }
            return options[index]
        }
        while index < options.count {
            switch options[index] {
            case "--seed": overrides.seed = parseSeed(value())
            case "--schedules":
                guard let count = Int(value()), count > 0 else { usage("--schedules takes a positive whole number") }
                overrides.schedules = count
            case "--replay": overrides.replay = parseSeed(value())
            case "--long": overrides.long = true
            case "--result": resultPath = value()
            case "--result-fd":
                guard let fd = Int32(value()), fd > 2, fcntl(fd, F_GETFD) >= 0 else { usage("--result-fd takes an open descriptor above 2") }
                resultDescriptor = fd
            case "--nonce-stdin": readNonce = true
            // The student's program of a process assignment, for the peer's probes (PeerKit reads it).
            case "--counterpart-pid", "--shared-directory", "--second-counterpart-pid", "--second-shared-directory":
                _ = value()  // read by the peer's own code (PeerKit)
            default: usage("unknown option \(options[index])")
            }
            index += 1
        }
        var nonce = ""
        if readNonce {
            nonce = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        CrashReporter.currentCheck = check.id
        if let resultDescriptor {
            CrashReporter.reportDescriptor = resultDescriptor
            // Before any code under test runs: which engine, so a supervisor that has to stop
            // this run knows whether a budget in schedules (controlled) or the code was slow.
            writeLine(resultDescriptor, "engine \(check.mode.engineName)")
            if case .native(let iterations, let longIterations) = check.mode {
                let count = overrides.schedules ?? (overrides.long ? longIterations : iterations)
                writeLine(resultDescriptor, "iterations \(count)")
            }
            overrides.progress = { done in writeLine(resultDescriptor, "progress \(done)") }
        }
        CrashReporter.install()
        var record = CheckRunner.run(check, overrides: overrides)
        record.nonce = nonce
        // With a record pipe the grader reads the record; anything on stdout is the student's
        // own text, so the harness prints nothing there (its trace must not reach a student's
        // view of a hidden check through the output shown to them).
        if resultDescriptor == nil { print(describe(record, check: check)) }
        if let resultDescriptor {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let handle = FileHandle(fileDescriptor: resultDescriptor, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: try encoder.encode(record))
                try handle.close()
            } catch {
                FileHandle.standardError.write(Data("cannot write the result record to descriptor \(resultDescriptor): \(error)\n".utf8))
                return 2
            }
        }
        if let resultPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                try encoder.encode(record).write(to: URL(fileURLWithPath: resultPath), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("cannot write the result record to \(resultPath): \(error)\n".utf8))
                return 2
            }
        }
        return record.passed ? 0 : 1
    }

    /// One line of `checks list --json`.
    public struct ListedCheck: Codable, Sendable, Equatable {
        /// The check's id.
        public var id: String
        /// Its title.
        public var title: String
        /// Points and visibility declared beside its code, if any.
        public var declaration: CheckDeclaration?
    }

    /// A verdict a student can act on: what failed, the seed to replay it, the trace.
    public static func describe(_ record: CheckRunRecord, check: CheckDefinition) -> String {
        if record.passed {
            return "PASS \(check.id): \(check.title) (\(coverage(record)))"
        }
        var lines = ["FAIL \(check.id): \(check.title)", "  \(record.message)", "  What this checks: \(check.explanation)"]
        if let seed = record.replaySeed {
            lines.append("  Replay this exact schedule: turnstile test \(check.id) --replay \(hex(seed))")
        }
        if let trace = record.trace, !trace.isEmpty {
            lines.append("  Schedule (\(record.strategy), after \(record.schedules) schedules):")
            lines.append(trace)
        }
        return lines.joined(separator: "\n")
    }

    /// One line on the record pipe (a header before the record itself).
    private static func writeLine(_ fd: Int32, _ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// What a run covered, honestly: an exhaustive search says whether it completed (and what
    /// sampled after it when not); a PCT run states the probability bound it gives.
    public static func coverage(_ record: CheckRunRecord) -> String {
        switch record.complete {
        case true?:
            if case .dpor? = record.strategyKind {
                return "complete: every schedule up to the order of independent steps, \(record.schedules) executions, \(record.strategy)"
            }
            return "complete: every schedule within the bound, \(record.schedules) executions, \(record.strategy)"
        case false?:
            let sample = record.fallback.map { "; then a seeded sample, \($0), found nothing" } ?? ""
            var reached = ""
            if case .iterativeBounding(let measure, _)? = record.strategyKind, let bound = record.completedBound {
                let unit = bound == 1 ? String(measure.rawValue.dropLast()) : measure.rawValue
                reached = " (every schedule with at most \(bound) \(unit) ran)"
            }
            return "incomplete: \(record.strategy) stopped at its budget before trying every schedule\(reached)\(sample) (\(record.schedules) executions in all)"
        case nil:
            if record.strategy == "peer" {
                return "judged by the grader's peer against your program in its own sandbox"
            }
            let base = "\(record.schedules) \(record.strategy == "native" ? "runs" : "schedules"), \(record.strategy)"
            guard let bound = pctBound(record) else { return base }
            return base + "; " + bound
        }
    }

    /// PCT's guarantee for a passing PCT run (Burckhardt et al., ASPLOS 2010): each schedule
    /// finds a given bug of depth ≤ d within the first k steps with probability at least
    /// 1/(n·k^(d−1)), n the threads; without a `k` up front, for a bug within the longest
    /// execution seen (K steps), at least 1/(13·n·k*^(d−1)) with k* the smallest drawn k ≥ K.
    /// Nil for other strategies.
    static func pctBound(_ record: CheckRunRecord) -> String? {
        guard let threads = record.threads, threads > 0 else { return nil }
        let depth: Int
        let steps: Int
        var scales = 1.0
        switch record.strategyKind {
        case .pct(let d, let k)?:
            (depth, steps) = (d, k)
        case .pctAnyLength(let d)?:
            let longest = max(1, record.steps ?? 1)
            guard let k = PCTStrategy.scaleFreeSteps.first(where: { $0 >= longest }) else { return nil }
            (depth, steps, scales) = (d, k, Double(PCTStrategy.scaleFreeSteps.count))
        default:
            return nil
        }
        let perSchedule = 1 / (scales * Double(threads) * pow(Double(steps), Double(depth - 1)))
        let missed = pow(1 - perSchedule, Double(record.schedules))
        let odds = (1 / perSchedule).rounded()
        let within = scales > 1 ? "within the \(record.steps ?? 0) steps of the longest execution, k \(steps) drawn for 1 in \(Int(scales)) schedules" : "within the first \(steps) steps"
        return "PCT's guarantee: each schedule finds any one bug of depth ≤ \(depth) (\(within), \(threads) threads) with probability ≥ 1/\(Int(odds)), so such a bug survives all \(record.schedules) with probability ≤ \(String(format: "%.3g", missed))"
    }

    /// `0x…` form of a seed.
    public static func hex(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }

    /// Parses a decimal or `0x` hexadecimal seed.
    public static func parseSeed(_ text: String) -> UInt64 {
        let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let parsed else { usage("a seed is a decimal or 0x-hexadecimal 64-bit number, not \(text)") }
        return parsed
    }

    private static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("""
            error: \(message)
            usage: checks list
                   checks run ID [--seed N] [--schedules N] [--replay SEED] [--long] [--result FILE] [--result-fd N] [--nonce-stdin]

            """.utf8))
        exit(2)
    }
}
