import Foundation
import Gradebook
import Testing
@testable import Grading

@Suite struct CourseTests {
    let layout: CourseLayout
    let manifest: AssignmentManifest

    init() throws {
        layout = try CourseLayout.locate()
        manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
    }

    @Test func catalogListsTheAssignmentAndRejectsUnknownOnesWithTheKnownIds() throws {
        let catalog = AssignmentCatalog(layout: layout)
        #expect(catalog.ids().contains("producer-consumer"))
        #expect(throws: GradingError.unknownAssignment("nope", known: catalog.ids())) { try catalog.manifest("nope") }
        #expect(manifest.maxScore == 100)
        #expect(manifest.checks.filter { $0.visibility == .public }.count == 2)
    }

    /// A manifest an author mistyped names the place and the value, not a decoder's dump.
    @Test func aMistypedManifestSaysWhereAndWhat() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-manifest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try String(contentsOf: layout.assignments.appendingPathComponent("producer-consumer/assignment.json"), encoding: .utf8)
        func reason(_ edited: String) throws -> String? {
            let directory = root.appendingPathComponent("Assignments/producer-consumer")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try edited.write(to: directory.appendingPathComponent("assignment.json"), atomically: true, encoding: .utf8)
            do {
                _ = try AssignmentCatalog(layout: CourseLayout(root: root)).manifest("producer-consumer")
                return nil
            } catch GradingError.invalidManifest(_, let reason) {
                return reason
            }
        }
        let hidden = try #require(text.range(of: #""visibility": "hidden""#) ?? text.range(of: #""visibility":"hidden""#))
        let typo = try #require(try reason(text.replacingCharacters(in: hidden, with: #""visibility": "hiden""#)))
        #expect(typo.contains(".visibility:") && typo.contains("hiden") && typo.hasPrefix("checks["), "\(typo)")
        let missing = try #require(try reason(text.replacingOccurrences(of: #""checksVersion""#, with: #""checks_version""#)))
        #expect(missing == "checksVersion is missing", "\(missing)")
    }

    @Test func everyMutantAppliesToTheSolutionAndChangesIt() throws {
        let mutants = try Mutant.load(for: manifest, layout: layout)
        #expect(mutants.count >= 4)
        let solution = try String(
            contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
        for mutant in mutants {
            let text = try #require(try mutant.sources(for: manifest, layout: layout)[manifest.studentFiles[0]])
            #expect(text != solution, "\(mutant.id) must differ from the solution")
            #expect(text.contains("MUTANT"), "\(mutant.id) says what it breaks")
        }
    }

    @Test func aMutantWhoseEditNoLongerMatchesTheSolutionIsRefused() throws {
        let drifted = Mutant(id: "drifted", description: "x", edits: [.init(file: nil, find: "this text is not in the solution", replace: "")])
        #expect(throws: GradingError.self) { try drifted.sources(for: manifest, layout: layout) }
    }

    @Test func manifestProblemsAreFound() {
        var broken = manifest
        broken.studentFiles = ["../escape.swift"]
        broken.checks.append(broken.checks[0])
        let problems = broken.problems()
        #expect(problems.contains { $0.contains("../escape.swift") })
        #expect(problems.contains("check ids repeat"))
    }

    @Test func aManifestWithoutScoredChecksIsRefused() {
        var unscored = manifest
        for index in unscored.checks.indices { unscored.checks[index].points = 0 }
        #expect(unscored.problems().contains { $0.contains("no check carries points") })
        #expect(!manifest.problems().contains { $0.contains("no check carries points") })
    }

    /// A verdict on real threads is not a function of the commit, so it may not carry points.
    @Test func onlyControlledChecksMayCarryPoints() {
        let scored = AssignmentManifest.CheckEntry(id: "stress", points: 5, visibility: .hidden)
        let unscored = AssignmentManifest.CheckEntry(id: "stress", points: 0, visibility: .hidden)
        #expect(AssignmentValidator.scoringProblem(check: scored, engine: "native")?.contains("set its points to 0") == true)
        #expect(AssignmentValidator.scoringProblem(check: unscored, engine: "native") == nil)
        #expect(AssignmentValidator.scoringProblem(check: scored, engine: "controlled") == nil)
    }

    /// A hidden check's own file and line stay with the grader; the student's lines stay visible.
    @Test func hiddenCheckLocationsAreRedactedFromMessages() {
        let message = "lost updates: 1 of 2 (HiddenChecks.swift:45)\nt1: load counter at BoundedBuffer.swift:21 read a stale 0; see Traffic.swift:9"
        let redacted = SubmissionAttempt.redact(message, hiddenFiles: ["HiddenChecks.swift", "Traffic.swift"])
        #expect(redacted == "lost updates: 1 of 2 (a hidden check)\nt1: load counter at BoundedBuffer.swift:21 read a stale 0; see a hidden check")
        #expect(SubmissionAttempt.redact("MyHiddenChecks.swift:3", hiddenFiles: ["HiddenChecks.swift"]) == "MyHiddenChecks.swift:3")
    }

    @Test func unscoredChecksThatFailAreListedForReviewAndPassingOnesAreNot() {
        func record(_ id: String, _ outcome: CheckOutcome, max: Double, property: String? = nil) -> CheckResultRecord {
            CheckResultRecord(
                checkID: id, title: id, outcome: outcome, points: 0, maxPoints: max, durationSeconds: 0,
                visibility: .hidden, property: property)
        }
        let checks = [
            record("scored", .failed, max: 10, property: "deadlock"),
            record("native-passed", .passed, max: 0),
            record("native-failed", .failed, max: 0, property: "wrong result on real threads"),
            record("native-hung", .timedOut, max: 0, property: "no progress"),
            record("native-net", .incomplete, max: 0),
        ]
        #expect(SubmissionAttempt.unscoredFailures(checks) == [
            "native-failed (wrong result on real threads)", "native-hung (no progress)",
        ])
    }

    @Test func workspaceTakesOnlyStudentOwnedFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let submission = root.appendingPathComponent("submission")
        let studentFile = submission.appendingPathComponent(manifest.studentFiles[0])
        try FileManager.default.createDirectory(at: studentFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "// student code".write(to: studentFile, atomically: true, encoding: .utf8)
        try "// sneaky".write(to: studentFile.deletingLastPathComponent().appendingPathComponent("Extra.swift"), atomically: true, encoding: .utf8)
        try "// evil manifest".write(to: submission.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
        try workspace.prepare()
        try workspace.install(submission: submission)
        let module = root.appendingPathComponent("ws/Sources/ProducerConsumer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: module.path) == ["BoundedBuffer.swift"])
        let package = try String(contentsOf: root.appendingPathComponent("ws/Package.swift"), encoding: .utf8)
        #expect(package.contains("Generated by turnstile"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("ws/Checks/Hidden/HiddenChecks.swift").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("ws/Runtime/TurnstileRuntime").path))
    }
}

@Suite struct HiddenPathTests {
    @Test func theSandboxHidesCourseCacheAndGradebookButNeverTheSystem() {
        let hidden = GradingPipeline.hideable(["/work/course", "/srv/cache", "/srv/cache/", "/", "/usr", "/usr/lib", "/tmp/gb", "/root"])
        #expect(hidden == ["/work/course", "/srv/cache", "/tmp/gb", "/root"])
    }
}
