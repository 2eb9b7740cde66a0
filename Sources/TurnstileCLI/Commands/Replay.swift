import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile.GradebookCommand {
    /// `turnstile gradebook replay STUDENT CHECK --assignment ID`.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one check again on the commit a student was graded on, and print its full trace (hidden checks too).",
            discussion: """
                For instructors: the commit's files come from the batch's cache (or the files kept at collection), are \
                built in the same sandbox, and the check runs as in grading. A controlled check repeats its recorded \
                verdict and first failing schedule; --seed runs only the schedule with that seed (the seed `gradebook \
                feedback --hidden-traces` shows). Exit status: 0 when the verdict matches the gradebook, 1 when it \
                differs (printed with the reason to suspect: changed checks, or a real-thread check).
                """)

        @Argument(help: "The student id.") var student: String
        @Argument(help: "The check id (see the assignment's manifest or the student's feedback).") var check: String
        @Option(help: "The assignment id.") var assignment: String
        @Option(help: "Replay only this schedule seed (0x… as the feedback prints it).") var seed: String?
        @Option(help: "The batch's cache of mirrors and workspaces (default: .turnstile-cache beside the gradebook).") var cache: String?
        @Flag(help: "Run student code WITHOUT the sandbox. Only for code you trust.") var noSandbox = false
        @OptionGroup var gradebook: GradebookOptions
        @OptionGroup var course: CourseOptions

        func run() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
            let executionSeed = try seed.map(Self.parseSeed)
            guard FileManager.default.fileExists(atPath: gradebook.database) else {
                throw ValidationError("no gradebook at \(gradebook.database); pass --db with the file `turnstile grade` wrote")
            }
            let store = try GradebookStore(path: gradebook.database)
            let options = GradingOptions(
                deadline: nil, cacheDirectory: cacheDirectory(cache, besideGradebook: gradebook.database), useSandbox: !noSandbox,
                regrade: false, allowLate: false)
            let pipeline = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
            let replay = try pipeline.replay(studentID: student, checkID: check, executionSeed: executionSeed)
            print(Self.describe(replay, check: check, checksVersion: manifest.checksVersion))
            if !replay.sameVerdict { throw ExitCode(1) }
        }

        static func parseSeed(_ text: String) throws -> UInt64 {
            let digits = text.lowercased().hasPrefix("0x") ? String(text.dropFirst(2)) : text
            guard let value = UInt64(digits, radix: 16) else {
                throw ValidationError("--seed \(text) is not a hexadecimal seed; copy it as printed, like 0x6b206bdcce4e2d0f")
            }
            return value
        }

        static func describe(_ replay: CheckReplay, check: String, checksVersion: String) -> String {
            let s = replay.submission
            let result = replay.result
            var lines = [
                "Replay of \(check) for \(s.studentID), commit \(s.commitID ?? "-") (graded \(s.gradedAt.formatted(.iso8601)) with checks \(s.checksVersion))",
                "Files from \(replay.source)",
                "Recorded: \(replay.recorded.outcome.rawValue)\(replay.recorded.property.map { " (\($0))" } ?? "")",
                "Now:      \(result.verdict.rawValue) in \(String(format: "%.2f", result.wallSeconds)) s",
            ]
            if !result.message.isEmpty { lines += result.message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } }
            if let seed = result.record?.replaySeed { lines.append("Seed: 0x\(String(seed, radix: 16)) (--seed replays this schedule alone)") }
            if let trace = result.record?.trace ?? result.crashReport, !trace.isEmpty {
                lines.append("Trace:")
                lines += trace.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + TerminalText.cell(String($0), width: 400) }
            }
            if !result.studentOutput.isEmpty {
                lines.append("The student's code printed (not a verdict):")
                lines += TerminalText.lines(result.studentOutput, lines: 40).map { "  | " + $0 }
            }
            if replay.sameVerdict {
                lines.append("Same verdict as recorded.")
            } else if replay.checksChanged {
                lines.append("DIFFERENT from the recorded verdict: the checks changed since (graded with \(s.checksVersion), now \(checksVersion)); grade again with --regrade to record the new one.")
            } else {
                lines.append("DIFFERENT from the recorded verdict with the same checks: expected only for a check on real threads (unscored); for a controlled check, report it.")
            }
            return lines.joined(separator: "\n")
        }
    }
}
