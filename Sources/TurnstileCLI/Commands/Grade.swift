import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile {
    /// `turnstile grade ASSIGNMENT --roster FILE [--deadline ISO8601] [--db FILE]`.
    struct Grade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade every student's repository for an assignment.",
            discussion: """
                The roster is a CSV file with the header student_id,name,repository (any URL or path libgit2 can clone). \
                For each student: fetch with libgit2, take the last commit at or before the deadline, build only the \
                student-owned files into the grader's own workspace, run every check in its own sandboxed process, and \
                record the submission, each check and the grade in one gradebook transaction. A student whose repository \
                is missing or whose code does not compile gets a recorded status and the batch goes on. Commits already \
                graded with the same checks are skipped, so an interrupted batch can simply be run again.
                Exit status: 0 when every student was graded, 1 when any was not (missing repository, build failure, …), \
                2 when none was (each still has a recorded status), 3 when the batch could not run at all (course, roster, \
                gradebook or sandbox), so a job array counts 0–2 as done and merges the shards.
                """)

        @Argument(help: "The assignment id.")
        var assignment: String

        @Option(help: "The roster CSV (student_id,name,repository).")
        var roster: String

        @Option(help: "The deadline, ISO 8601 (2026-12-01T23:59:00Z); without it each branch tip is graded.")
        var deadline: String?

        @OptionGroup var gradebook: GradebookOptions
        @OptionGroup var course: CourseOptions
        @OptionGroup var fetch: FetchOptions

        @Option(help: "Where mirrors and the build workspace live (default: .turnstile-cache beside the gradebook).")
        var cache: String?

        @Flag(help: "Grade commits already graded with the same checks again.")
        var regrade = false

        @Flag(help: "Accept commits up to the assignment's late window after the deadline, with its penalty.")
        var allowLate = false

        @Flag(help: "Run student code WITHOUT the sandbox. Only for code you trust: it can then read and write anything you can.")
        var noSandbox = false

        @Flag(help: "Print one JSON object per student as each finishes (and nothing else), for scripts.")
        var json = false

        @Option(help: "Grade only shard I of N (I from 0): the roster's students at positions I, I+N, I+2N, … — for a job array (Slurm's $SLURM_ARRAY_TASK_ID), each into its own gradebook, merged afterwards with `gradebook merge`.")
        var shard: String?

        @Option(help: "Students graded at once, each with its own build workspace (default: the machine's cores). Scores do not depend on it.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs \(jobs): give at least 1") }
            if let shard { _ = try Self.parseShard(shard) }
        }

        /// `I/N` with 0 ≤ I < N.
        static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
            let parts = text.split(separator: "/").map { Int($0) }
            guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, (0..<count).contains(index) else {
                throw ValidationError("--shard \(text): write I/N with 0 ≤ I < N, like 0/4 (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)")
            }
            return (index, count)
        }

        func run() throws {
            do {
                try gradeBatch()
            } catch let exit as ExitCode {
                throw exit
            } catch {
                printError("Error: \((error as? ValidationError)?.message ?? error.localizedDescription)")
                throw ExitCode(Self.batchDidNotRun)
            }
        }

        /// The exit status of a batch that could not run (nothing was recorded): a broken course
        /// checkout, roster or gradebook, or no sandbox. 1 and 2 mean students were recorded.
        static let batchDidNotRun: Int32 = 3

        func gradeBatch() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
            let deadlineDate = try deadline.map { try Self.parseDate($0) }
            var parsed = try readRoster(roster)
            if let shard {
                let (index, count) = try Self.parseShard(shard)
                parsed.entries = parsed.entries.enumerated().filter { $0.offset % count == index }.map(\.element)
            }
            let store = try GradebookStore(path: gradebook.database)
            let cacheURL = cacheDirectory(cache, besideGradebook: gradebook.database)
            if noSandbox { printError("warning: --no-sandbox: student code runs directly on this machine") }
            var options = GradingOptions(deadline: deadlineDate, cacheDirectory: cacheURL, useSandbox: !noSandbox, regrade: regrade, allowLate: allowLate)
            options.fetchLimits = fetch.limits
            options.credentials = .fromEnvironment()
            options.jobs = jobs
            let pipeline = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let summary = try pipeline.grade(roster: parsed) { outcome in
                    if let line = try? encoder.encode(outcome) { print(String(decoding: line, as: UTF8.self)) }
                }
                if summary.outcomes.allSatisfy({ $0.isProblem }) && !summary.outcomes.isEmpty { throw ExitCode(2) }
                if summary.hasProblems { throw ExitCode(1) }
                return
            }
            print("Grading \(manifest.id) for \(parsed.entries.count) students\(deadlineDate.map { " at deadline \(ISO8601DateFormatter().string(from: $0))" } ?? "")…")
            let progress = BatchProgress(total: parsed.entries.count, workers: jobs)
            let summary = try pipeline.grade(roster: parsed) { outcome in
                progress.finished(Self.describe(outcome))
            }
            progress.end()
            print("\n" + GradebookCommand.table(try store.grades(assignmentID: manifest.id)))
            print("\nGradebook: \(gradebook.database) (\(BatchProgress.clock(Date().timeIntervalSince(progress.start))) for \(parsed.entries.count) students)")
            if summary.outcomes.allSatisfy({ $0.isProblem }) && !summary.outcomes.isEmpty { throw ExitCode(2) }
            if summary.hasProblems { throw ExitCode(1) }
        }

        static func describe(_ outcome: StudentOutcome) -> String {
            let commit = outcome.commitID.map { " @\($0.prefix(8))" } ?? ""
            let student = TerminalText.cell(outcome.studentID, width: 64)
            if outcome.status == .skipped { return "  \(student)\(commit): already graded at this commit with these checks (--regrade grades it again)" }
            let build = outcome.buildSeconds.map { String(format: ", build %.1f s", $0) } ?? ""
            var line = "  \(student)\(commit): \(outcome.status) \(formatPoints(outcome.score))/\(formatPoints(outcome.maxScore)) (\(String(format: "%.1f", outcome.seconds)) s\(build))"
            if !outcome.detail.isEmpty && outcome.status != .recorded(.graded) {
                line += "\n    " + TerminalText.lines(outcome.detail, lines: 6).joined(separator: "\n    ")
            }
            if let change = change(outcome) { line += "\n    " + change }
            if !outcome.toReview.isEmpty {
                line += "\n    review (not scored, failed on real threads): " + outcome.toReview.joined(separator: ", ")
            }
            return line
        }

        /// For a regrade that changed the score: old → new, and why (another commit, other checks).
        static func change(_ outcome: StudentOutcome) -> String? {
            guard let previous = outcome.previous, outcome.status == .recorded(.graded), previous.score != outcome.score else { return nil }
            var reasons: [String] = []
            if previous.commitID != outcome.commitID {
                reasons.append("commit \(previous.commitID.map { String($0.prefix(8)) } ?? "none") → \(outcome.commitID.map { String($0.prefix(8)) } ?? "none")")
            }
            if previous.checksVersion != outcome.checksVersion {
                reasons.append("checks \(previous.checksVersion) → \(outcome.checksVersion)")
            }
            let why = reasons.isEmpty ? "same commit and checks: see the feedback for which checks changed" : reasons.joined(separator: ", ")
            return "regraded: \(formatPoints(previous.score)) → \(formatPoints(outcome.score)) (\(why))"
        }

        static func parseDate(_ text: String) throws -> Date {
            let full = ISO8601DateFormatter()
            if let date = full.date(from: text) { return date }
            let dateOnly = ISO8601DateFormatter()
            dateOnly.formatOptions = [.withFullDate]
            if let date = dateOnly.date(from: text) { return date.addingTimeInterval(86_399) }
            throw ValidationError("--deadline \(text) is not ISO 8601; write it like 2026-12-01T23:59:00Z")
        }
    }
}
