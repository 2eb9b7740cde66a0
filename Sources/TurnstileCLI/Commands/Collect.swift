import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile {
    /// `turnstile collect ASSIGNMENT --roster FILE [--db FILE]`.
    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pin every student's current commit: run it at the deadline.",
            discussion: """
                Commit dates come from the student's machine, so a commit made after the deadline can claim an earlier \
                date. Run `turnstile collect` when the deadline passes (for example from cron); a later \
                `turnstile grade --deadline …` then walks back from the commit collected first after the deadline, so \
                nothing pushed later counts, whatever date it claims. Runs no student code.
                """)

        @Argument(help: "The assignment id.") var assignment: String
        @Option(help: "The roster CSV (student_id,name,repository).") var roster: String
        @OptionGroup var gradebook: GradebookOptions
        @OptionGroup var course: CourseOptions
        @OptionGroup var fetch: FetchOptions
        @Option(help: "Where mirrors live (default: .turnstile-cache beside the gradebook).") var cache: String?

        func run() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
            let parsed = try readRoster(roster)
            let store = try GradebookStore(path: gradebook.database)
            let cacheURL = cacheDirectory(cache, besideGradebook: gradebook.database)
            // Collecting fetches and reads commits only: no student code runs, so no sandbox is needed.
            let pipeline = try GradingPipeline(
                layout: layout, manifest: manifest, store: store,
                options: { var options = GradingOptions(deadline: nil, cacheDirectory: cacheURL, useSandbox: false); options.fetchLimits = fetch.limits; options.credentials = .fromEnvironment(); return options }())
            let progress = BatchProgress(total: parsed.entries.count)
            let summary = try pipeline.collect(roster: parsed) { outcome in
                if let commit = outcome.commitID {
                    progress.finished("  \(TerminalText.cell(outcome.studentID, width: 64)): pinned \(commit.prefix(12))")
                } else {
                    progress.finished("  \(TerminalText.cell(outcome.studentID, width: 64)): \(outcome.status) — \(TerminalText.cell(outcome.detail, width: TerminalText.lineWidth))")
                }
            }
            progress.end()
            print("Collected \(summary.outcomes.filter { $0.commitID != nil }.count) of \(summary.outcomes.count) at \(ISO8601DateFormatter().string(from: Date())).")
            if summary.hasProblems { throw ExitCode(1) }
        }
    }
}
