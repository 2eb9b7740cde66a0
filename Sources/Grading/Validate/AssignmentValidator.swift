import CheckKit
import Foundation
import Gradebook

/// Proves an assignment's checks are worth trusting: the solution scores full marks every time,
/// the template scores less, and every known-buggy variant (mutant) loses points.
public struct AssignmentValidator: Sendable {
    /// One variant's score.
    public struct VariantScore: Sendable {
        /// `solution`, `template`, or the mutant's id.
        public var variant: String
        /// Points of the checks that passed (for the solution: passed on every repetition).
        public var score: Double
        /// The assignment's total points.
        public var maxScore: Double
        /// Check id → verdict.
        public var verdicts: [(check: String, verdict: CheckVerdict)]
        /// Whether this variant behaved as required.
        public var acceptable: Bool
        /// Why not, when not.
        public var problem: String?
        /// Check id → what its last failing run said (the hidden checks' own text: for the
        /// course's authors, never for students).
        public var messages: [String: String] = [:]
    }

    /// The course checkout holding the solution, template and mutants.
    public let layout: CourseLayout
    /// The assignment to validate.
    public let manifest: AssignmentManifest
    /// Runs each check of each variant.
    public let checkProcess: CheckProcess
    /// The grading workspace's package root; the mutants are written next to it, in
    /// `<id>-mutants`, and removed afterwards.
    public let workspaceDirectory: URL
    /// How many times the solution's checks run (each must pass every time).
    public var solutionRepetitions = 2
    /// Validate only these variants (`solution`, `template`, mutant ids); nil validates all.
    public var only: Set<String>?

    /// Creates a validator.
    /// - Parameters:
    ///   - layout: The course checkout.
    ///   - manifest: The assignment to validate.
    ///   - checkProcess: Runs the checks, usually with ``CheckProcess/policy(for:)`` of its limits.
    ///   - workspaceDirectory: Where the grading workspace is built (created if missing).
    public init(layout: CourseLayout, manifest: AssignmentManifest, checkProcess: CheckProcess, workspaceDirectory: URL) {
        self.layout = layout
        self.manifest = manifest
        self.checkProcess = checkProcess
        self.workspaceDirectory = workspaceDirectory
    }

    /// Scores the solution, the template and every mutant, calling `progress` after each.
    public func validate(progress: (VariantScore) -> Void = { _ in }) throws -> [VariantScore] {
        let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: workspaceDirectory)
        try workspace.prepare()
        // Every variant is then built as the grader builds a student's commit (by the
        // workspace's direct build plan, which the warm-up derives), so what validation
        // accepts is what grading runs. A solution that does not build fails the warm-up; it
        // is then reported below as the solution's own problem, with `swift build`'s errors.
        try? workspace.warmUp(sandbox: nil)
        var results: [VariantScore] = []
        let mutantsRoot = workspaceDirectory.deletingLastPathComponent().appendingPathComponent("\(manifest.id)-mutants")
        try? FileManager.default.removeItem(at: mutantsRoot)
        defer { try? FileManager.default.removeItem(at: mutantsRoot) }
        var variants: [(String, URL)] =
            [("solution", layout.path(manifest.solutionDirectory)), ("template", layout.path(manifest.templateDirectory))]
        let alternatives = try alternativeDirectories()
        variants += alternatives
        for mutant in try Mutant.load(for: manifest, layout: layout) {
            let directory = mutantsRoot.appendingPathComponent(mutant.id)
            try mutant.materialize(for: manifest, layout: layout, into: directory)
            variants.append((mutant.id, directory))
        }
        let vetting = try SubmissionVetting(manifest: manifest, layout: layout)
        if let only {
            let unknown = only.subtracting(variants.map(\.0))
            guard unknown.isEmpty else {
                throw GradingError.io("no variant named \(unknown.sorted().joined(separator: ", ")); the variants are \(variants.map(\.0).joined(separator: ", "))")
            }
            variants = variants.filter { only.contains($0.0) }
        }
        for (name, directory) in variants {
            var score = VariantScore(variant: name, score: 0, maxScore: manifest.maxScore, verdicts: [], acceptable: true)
            // Every variant must be gradable code: one the vetting refuses or the compiler
            // rejects proves nothing about the checks, so it fails validation.
            let refusals = try vetting.problems(in: directory)
            if !refusals.isEmpty {
                score.acceptable = false
                score.problem = "the grader's vetting refuses the \(Self.describe(name)): " + refusals.joined(separator: "; ")
                results.append(score)
                progress(score)
                continue
            }
            try workspace.install(submission: directory)
            let build = try workspace.build(sandbox: nil, confirmingStalls: true)
            if let executable = build.executable {
                if name == "solution", let problem = try Self.declarationProblem(executable: executable, manifest: manifest) {
                    score.acceptable = false
                    score.problem = problem
                }
                let repetitions = name == "solution" ? solutionRepetitions : 1
                // A correct variant must pass every check: the rest of its checks still run, so
                // the report names every check it loses.
                for check in manifest.checks {
                    var verdict = CheckVerdict.passed
                    for _ in 0..<repetitions where verdict == .passed {
                        let result = try checkProcess.run(
                            checkID: check.id, executable: executable, wallSeconds: check.wallSeconds, counterpart: build.program,
                            counterpartInstances: check.programs ?? 1)
                        verdict = result.verdict
                        if verdict != .passed { score.messages[check.id] = result.message }
                        if let problem = Self.scoringProblem(check: check, engine: result.engine) {
                            score.acceptable = false
                            score.problem = score.problem ?? problem
                        }
                    }
                    score.verdicts.append((check.id, verdict))
                    if verdict == .passed { score.score += check.points }
                }
            } else {
                score.acceptable = false
                if case .stalled = build.failure {
                    score.problem = "the \(Self.describe(name)) could not be built in time (\(build.diagnostics)); validate again on a quieter machine"
                } else {
                    score.problem = "the \(Self.describe(name)) does not compile:\n\(build.diagnostics)"
                }
                results.append(score)
                progress(score)
                continue
            }
            switch name {
            case _ where name == "solution" || name.hasPrefix(Self.alternativePrefix):
                // Every check, scored or not: a correct variant failing even an unscored
                // real-thread check means that check accuses correct code.
                if score.verdicts.contains(where: { $0.verdict != .passed }) {
                    score.acceptable = false
                    let failing = score.verdicts.filter { $0.verdict != .passed }.map { "\($0.check) (\($0.verdict.rawValue))" }
                    score.problem = score.problem ?? "the \(Self.describe(name)) loses points on \(failing.joined(separator: ", "))"
                }
            default:
                if score.score >= manifest.maxScore {
                    score.acceptable = false
                    score.problem = "the \(Self.describe(name)) scores full marks: the checks miss it"
                }
            }
            results.append(score)
            progress(score)
        }
        return results
    }

    /// Why a check's points are not allowed, if they are not: a check on real threads (the
    /// `native` engine) passes or fails with how the operating system happened to interleave the
    /// threads, so the same commit could score differently on two runs. Such a check carries no
    /// points; its failures are shown to the student and flagged for the instructor, and the
    /// property it looks at is scored by controlled checks.
    public static func scoringProblem(check: AssignmentManifest.CheckEntry, engine: String?) -> String? {
        guard engine == "native", check.points > 0 else { return nil }
        return "check \(check.id) runs on real threads, whose verdict is not a function of the commit, yet carries \(check.points) points; set its points to 0 and score the property with a controlled check"
    }

    /// Where the points and visibility a check declares beside its code (`CheckCase`) differ
    /// from the manifest's, or nil. Asks the solution's checks executable (`checks list --json`):
    /// the instructor's code, so trusted here; grading reads only the manifest.
    /// The manifest's word for the visibility a check declares in code (CheckKit sits below the
    /// gradebook, so each has its own enum).
    static func visibility(_ declared: CheckDeclaration.Visibility) -> CheckVisibility {
        switch declared {
        case .public: .public
        case .hidden: .hidden
        }
    }

    static func declarationProblem(executable: URL, manifest: AssignmentManifest) throws -> String? {
        let outcome = try ToolRunner.run(executable.path, ["list", "--json"], timeout: 60, includeErrors: false)
        guard outcome.status == 0, !outcome.timedOut,
            let listed = try? JSONDecoder().decode([CheckHarness.ListedCheck].self, from: Data(outcome.output.utf8))
        else { return "the checks executable cannot list its checks (`checks list --json` failed)" }
        var problems: [String] = []
        for check in listed {
            guard let declared = check.declaration else { continue }
            guard let entry = manifest.checks.first(where: { $0.id == check.id }) else {
                problems.append("check \(check.id) is declared in code but missing from the manifest")
                continue
            }
            if entry.points != declared.points {
                problems.append("check \(check.id) declares \(declared.points) points but the manifest gives \(entry.points)")
            }
            if entry.points > 0, declared.property == nil {
                problems.append("check \(check.id) carries points but declares no property (`property: .mutualExclusion`, …), so its failures could not be counted by what they break")
            }
            if entry.visibility != Self.visibility(declared.visibility) {
                problems.append("check \(check.id) is declared \(declared.visibility.rawValue) but the manifest says \(entry.visibility.rawValue)")
            }
        }
        let missing = manifest.checks.map(\.id).filter { id in !listed.contains { $0.id == id } }
        if !missing.isEmpty { problems.append("the manifest names checks the code does not define: \(missing.joined(separator: ", "))") }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + "; make the manifest and the checks agree"
    }

    /// Variant names of correct alternatives start with this: `alternative:monitor`.
    public static let alternativePrefix = "alternative:"

    /// "solution", "template", "correct alternative NAME" or "mutant NAME".
    static func describe(_ variant: String) -> String {
        if ["solution", "template"].contains(variant) { return variant }
        if variant.hasPrefix(alternativePrefix) { return "correct alternative \(variant.dropFirst(alternativePrefix.count))" }
        return "mutant \(variant)"
    }

    /// The variant names of the assignment's correct alternatives, sorted.
    public func alternativeNames() throws -> [String] { try alternativeDirectories().map(\.0) }

    /// The assignment's correct alternatives, named `alternative:<subdirectory>`, sorted.
    func alternativeDirectories() throws -> [(String, URL)] {
        guard let relative = manifest.alternativesDirectory else { return [] }
        let root = layout.path(relative)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else {
            throw GradingError.invalidManifest(manifest.id, reason: "alternativesDirectory \(relative) cannot be read; create it or remove the field")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { ("\(Self.alternativePrefix)\($0)", root.appendingPathComponent($0)) }
    }
}
