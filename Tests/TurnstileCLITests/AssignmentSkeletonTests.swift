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
        // Nothing is overwritten.
        #expect(throws: GradingError.self) {
            try AssignmentSkeleton(layout: fixture.course).create(id: "shared-counter", module: "Other", title: "x")
        }
    }

    @Test func badNamesAreRefusedWithWhatToWrite() {
        #expect(AssignmentSkeleton.problem(id: "Bad_ID", module: "Fine", title: "t")?.contains("lowercase") == true)
        #expect(AssignmentSkeleton.problem(id: "fine-id", module: "lower", title: "t")?.contains("UpperCamelCase") == true)
        #expect(AssignmentSkeleton.problem(id: "fine-id", module: "Fine", title: "two\nlines") != nil)
        #expect(AssignmentSkeleton.problem(id: "fine-id2", module: "Fine2", title: "A title") == nil)
    }
}
