import ArgumentParser
import Foundation
import Grading

extension Turnstile {
    /// `turnstile validate ASSIGNMENT`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove an assignment's checks: the solution scores full marks, the template and every mutant less.")

        @Argument(help: "The assignment id.") var assignment: String
        @OptionGroup var course: CourseOptions
        @Option(help: "Build workspace directory.") var cache: String = ".turnstile-cache"
        @Flag(help: "Run checks without the sandbox (the course's own code).") var noSandbox = false
        @Option(name: .customLong("variant"), help: "Validate only this variant (solution, template or a mutant id); repeatable.")
        var variants: [String] = []
        @Flag(help: "Print what each lost check said, under its variant (the hidden checks' own messages: for authors).")
        var verbose = false

        func run() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
            let policy = CheckProcess.policy(for: manifest.limits)
            let process: CheckProcess
            if noSandbox {
                process = CheckProcess(isolation: .none, policy: policy)
            } else {
                let availability = Sandbox.probe()
                guard availability.isAvailable else { throw GradingError.sandboxUnavailable(availability.description) }
                process = CheckProcess(isolation: .sandbox(Sandbox(distinctUserPerRun: true), hiddenPaths: [layout.root.path]), policy: policy)
            }
            var validator = AssignmentValidator(
                layout: layout, manifest: manifest, checkProcess: process,
                workspaceDirectory: URL(fileURLWithPath: cache).appendingPathComponent("validate/\(manifest.id)"))
            if !variants.isEmpty { validator.only = Set(variants) }
            let total = try variants.isEmpty
                ? 2 + validator.alternativeNames().count + Mutant.load(for: manifest, layout: layout).count : variants.count
            let progress = BatchProgress(total: total)
            let results = try validator.validate { score in
                let verdict = score.acceptable ? "ok" : "PROBLEM"
                let unscored = Set(manifest.checks.filter { $0.points == 0 }.map(\.id))
                let failing = score.verdicts.filter { $0.verdict != .passed }.map(\.check)
                let lost = failing.filter { !unscored.contains($0) }
                let flagged = failing.filter { unscored.contains($0) }
                let losses = score.variant == "solution" || lost.isEmpty ? "" : " (loses \(lost.joined(separator: ", ")))"
                // Real-thread checks are unscored and may differ from run to run; they are named
                // apart so the scored part of the line is what repeats exactly.
                let review = flagged.isEmpty ? "" : " [unscored, failed on real threads: \(flagged.joined(separator: ", "))]"
                var line = "\(score.variant): \(formatPoints(score.score))/\(formatPoints(score.maxScore)) \(verdict)\(losses)\(score.problem.map { " — \($0)" } ?? "")\(review)"
                if verbose {
                    for check in failing {
                        let message = (score.messages[check] ?? "").split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
                        line += "\n    \(check):\n\(message)"
                    }
                }
                progress.finished(line)
            }
            progress.end()
            if results.contains(where: { !$0.acceptable }) { throw ExitCode(1) }
            if variants.isEmpty {
                let alternatives = results.filter { $0.variant.hasPrefix(AssignmentValidator.alternativePrefix) }.count
                let mutants = results.count - 2 - alternatives
                let correct = alternatives == 0 ? "the solution scores" : "the solution and \(alternatives) correct alternatives score"
                print("\(manifest.id): \(correct) full marks; the template and all \(mutants) mutants lose points.")
            }
        }
    }
}
