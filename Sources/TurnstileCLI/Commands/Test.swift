import ArgumentParser
import CheckKit
import Foundation
import Grading

extension Turnstile {
    /// `turnstile test [CHECK] [--replay SEED]`.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build your assignment and run its public checks.",
            discussion: "Run inside a directory made by `turnstile init`. Each check runs in its own process; a failing check prints what went wrong, the seed that replays the exact schedule, and the schedule step by step. Your code runs on your own machine without a sandbox.")

        @Argument(help: "Run only this check.")
        var check: String?

        @Option(help: "Replay one schedule of CHECK from the seed a failure printed (decimal or 0x-hex).")
        var replay: String?

        @Flag(help: "Print one JSON object (refusals, build diagnostics, each check's verdict, property, message, replay command and schedule) instead of text, for editors.")
        var json = false

        func validate() throws {
            if replay != nil && check == nil { throw ValidationError("--replay needs the check's id: turnstile test CHECK --replay SEED") }
        }

        func run() throws {
            let project = try StudentProject.locate(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let seed: UInt64? = try replay.map {
                let parsed = $0.hasPrefix("0x") ? UInt64($0.dropFirst(2), radix: 16) : UInt64($0)
                guard let parsed else { throw ValidationError("--replay takes the seed a failure printed, like 0x1f2e3d4c") }
                return parsed
            }
            let ids = check.map { [$0] } ?? project.publicCheckIDs
            if let check, !project.manifest.checks.contains(where: { $0.id == check && $0.visibility == .public }) {
                throw ValidationError("no public check '\(check)'; the public checks are: \(project.publicCheckIDs.joined(separator: ", "))")
            }
            let refusals = try project.vettingProblems()
            guard refusals.isEmpty else {
                if json { return try emit(TestReport(status: .refused, refusals: refusals), exit: 2) }
                print("The grader would refuse this code before compiling it:")
                for refusal in refusals { print("  \(refusal)") }
                throw ExitCode(2)
            }
            if !json { print("Building \(project.manifest.title)…") }
            let build = try project.build()
            guard let executable = build.executable else {
                if json { return try emit(TestReport(status: .buildFailed, diagnostics: build.diagnostics), exit: 2) }
                print("Your code does not compile:\n\(build.diagnostics)")
                throw ExitCode(2)
            }
            var failures = 0
            var report = TestReport(status: .checked)
            for id in ids {
                let result = try project.run(checkID: id, executable: executable, replay: seed, program: build.program)
                if json { report.checks.append(TestReport.Check(result)) } else { print(Self.render(result)) }
                if result.verdict != .passed { failures += 1 }
            }
            if json { return try emit(report, exit: failures > 0 ? 1 : 0) }
            print("\n\(ids.count - failures) passed, \(failures) failed")
            if failures > 0 { throw ExitCode(1) }
        }

        /// Prints `report` as JSON and exits with `exit`.
        private func emit(_ report: TestReport, exit: Int32) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            if exit != 0 { throw ExitCode(exit) }
        }

        /// What `turnstile test --json` prints.
        struct TestReport: Encodable {
            struct Check: Encodable {
                var check: String
                var verdict: String
                var property: String?
                var message: String
                var replay: String?
                var strategy: String?
                var schedule: String?
                var seconds: Double
                var output: String

                init(_ result: CheckProcess.Result) {
                    check = result.checkID
                    verdict = result.verdict.rawValue
                    property = CheckProcess.property(of: result)
                    message = result.message
                    replay = result.verdict == .failed
                        ? result.record?.replaySeed.map { "turnstile test \(result.checkID) --replay 0x\(String($0, radix: 16))" } : nil
                    strategy = result.record?.strategy
                    schedule = result.verdict == .passed ? nil : result.record?.trace ?? result.crashReport
                    seconds = result.wallSeconds
                    output = result.studentOutput
                }
            }
            /// How far the self-test got.
            enum Status: String, Encodable {
                /// The vetting refused the files.
                case refused
                /// The code did not compile.
                case buildFailed
                /// Every check ran (whatever their verdicts).
                case checked
            }
            var status: Status
            var refusals: [String] = []
            var diagnostics: String?
            var checks: [Check] = []
        }

        static func render(_ result: CheckProcess.Result) -> String {
            switch result.verdict {
            case .passed:
                return "PASS \(result.checkID) (\(String(format: "%.2f", result.wallSeconds)) s)"
            case .failed:
                var lines = ["FAIL \(result.checkID)", "  " + result.message.replacingOccurrences(of: "\n", with: "\n  ")]
                if let property = CheckProcess.property(of: result) { lines.append("  Property broken: \(property)") }
                if let seed = result.record?.replaySeed {
                    lines.append("  Replay this exact schedule: turnstile test \(result.checkID) --replay 0x\(String(seed, radix: 16))")
                }
                if let trace = result.record?.trace, !trace.isEmpty {
                    lines.append("  Schedule (\(result.record?.strategy ?? "")):")
                    lines.append(trace)
                }
                return lines.joined(separator: "\n")
            default:
                var text = "FAIL \(result.checkID) (\(result.verdict.rawValue))\n  " + result.message.replacingOccurrences(of: "\n", with: "\n  ")
                if let report = result.crashReport, !report.isEmpty {
                    text += "\n  " + report.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\n  ")
                }
                let output = result.studentOutput.split(separator: "\n", omittingEmptySubsequences: false).suffix(12)
                if !result.studentOutput.isEmpty {
                    text += "\n  Your code printed:\n" + output.map { "  | " + $0 }.joined(separator: "\n")
                }
                return text
            }
        }
    }
}
