import ArgumentParser
import Foundation
import Grading
import Testing
@testable import TurnstileCLI

/// `turnstile assignments new` gives an author a complete assignment that validates as it is.
@Suite(.serialized)
struct AssignmentSkeletonTests {
    @Test func aNewAssignmentValidatesOutOfTheBox() throws {
        let fixture = try CourseFixture()
        var command = try Turnstile.parseAsRoot(
            ["assignment", "new", "shared-counter", "--module", "SharedCounter", "--title", "A shared counter",
             "--course", fixture.course.root.path])
        try command.run()
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("shared-counter")
        #expect(manifest.module == "SharedCounter" && manifest.title == "A shared counter")
        #expect(manifest.studentFiles == ["Sources/SharedCounter/Counter.swift"])
        let validator = AssignmentValidator(
            layout: fixture.course, manifest: manifest,
            checkProcess: CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits)),
            workspaceDirectory: fixture.path("ws"))
        let results = try validator.validate()
        #expect(results.map(\.variant) == ["solution", "template", "alternative:atomic", "no-lock"])
        for result in results { #expect(result.acceptable, "\(result.variant): \(result.problem ?? "")") }
        #expect(results.first { $0.variant == "no-lock" }.map { $0.score < $0.maxScore } == true)
        // What each lost check said is kept for the author (`validate --verbose`), and only for lost checks.
        let noLock = try #require(results.first { $0.variant == "no-lock" })
        let lost = noLock.verdicts.filter { $0.verdict != .passed }.map(\.check)
        #expect(!lost.isEmpty && Set(noLock.messages.keys) == Set(lost))
        #expect(noLock.messages.values.allSatisfy { !$0.isEmpty })
        #expect(results.first { $0.variant == "solution" }?.messages.isEmpty == true)
        // Points declared beside a check must match the manifest.
        let manifestURL = fixture.course.path("Assignments/shared-counter/assignment.json")
        let text = try String(contentsOf: manifestURL, encoding: .utf8)
        try text.replacingOccurrences(of: "\"points\": 40", with: "\"points\": 30")
            .replacingOccurrences(of: "\"points\": 60", with: "\"points\": 70")
            .write(to: manifestURL, atomically: true, encoding: .utf8)
        var mismatched = AssignmentValidator(
            layout: fixture.course, manifest: try AssignmentCatalog(layout: fixture.course).manifest("shared-counter"),
            checkProcess: CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits)),
            workspaceDirectory: fixture.path("ws"))
        mismatched.only = ["solution"]
        mismatched.solutionRepetitions = 1
        let solution = try #require(try mismatched.validate().first)
        #expect(!solution.acceptable)
        #expect(solution.problem?.contains("check two-threads declares 40.0 points but the manifest gives 30.0") == true, "\(solution.problem ?? "")")
        // Nothing is overwritten.
        #expect(throws: GradingError.self) {
            try AssignmentSkeleton(layout: fixture.course).create(id: "shared-counter", module: "Other", title: "x")
        }
    }

    /// One workspace grades submission after submission: each build must run the code just
    /// installed, never the previous submission's objects, however quickly they follow.
    @Test func eachBuildRunsTheSubmissionJustInstalled() throws {
        let fixture = try CourseFixture()
        _ = try AssignmentSkeleton(layout: fixture.course).create(id: "shared-counter", module: "SharedCounter", title: "A shared counter")
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("shared-counter")
        let workspace = GradingWorkspace(layout: fixture.course, manifest: manifest, directory: fixture.path("ws"))
        try workspace.prepare()
        let checkProcess = CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits))
        // The template stops at its TODO (crashed); the atomic alternative is correct (passed).
        let submissions: [(URL, CheckVerdict)] = [
            (fixture.course.path(manifest.templateDirectory), .crashed),
            (fixture.course.path("grading/shared-counter/alternatives/atomic"), .passed),
        ]
        var seen: [String] = []
        for round in 0..<12 {
            let (submission, expected) = submissions[round % 2]
            try workspace.install(submission: submission)
            let build = try workspace.build()
            let executable = try #require(build.executable, "round \(round): \(build.diagnostics)")
            let verdict = try checkProcess.run(checkID: "two-threads", executable: executable, wallSeconds: 60).verdict
            seen.append("\(round):\(verdict.rawValue)")
            #expect(verdict == expected, "round \(round) ran the previous submission's code: \(seen)")
        }
    }

    @Test func badNamesAreRefusedWithWhatToWrite() {
        #expect(AssignmentSkeleton.problem(id: "Bad_ID", module: "Fine", title: "t")?.contains("lowercase") == true)
        #expect(AssignmentSkeleton.problem(id: "fine-id", module: "lower", title: "t")?.contains("UpperCamelCase") == true)
        #expect(AssignmentSkeleton.problem(id: "fine-id", module: "Fine", title: "two\nlines") != nil)
        #expect(AssignmentSkeleton.problem(id: "fine-id2", module: "Fine2", title: "A title") == nil)
    }
}
