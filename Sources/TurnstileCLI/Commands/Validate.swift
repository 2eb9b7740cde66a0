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
                process = CheckProcess(isolation: .sandbox(Sandbox(), hiddenPaths: [layout.root.path]), policy: policy)
            }
            let validator = AssignmentValidator(
                layout: layout, manifest: manifest, checkProcess: process,
                workspaceDirectory: URL(fileURLWithPath: cache).appendingPathComponent("validate/\(manifest.id)"))
            let results = try validator.validate { score in
                let verdict = score.acceptable ? "ok" : "PROBLEM"
                print("\(score.variant): \(formatPoints(score.score))/\(formatPoints(score.maxScore)) \(verdict)\(score.problem.map { " — \($0)" } ?? "")")
            }
            if results.contains(where: { !$0.acceptable }) { throw ExitCode(1) }
            print("\(manifest.id): the solution scores full marks; the template and all \(results.count - 2) mutants lose points.")
        }
    }
}
