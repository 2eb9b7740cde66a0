import Foundation
import Grading
import Testing

/// Every assignment in the course proves its checks: the solution scores full marks, the
/// template and every mutant score less. (The producer-consumer assignment is also graded end to
/// end through the CLI in `EndToEndTests`.)
@Suite(.serialized)
struct AssignmentValidationTests {
    static let assignments: [String] = (try? AssignmentCatalog(layout: CourseLayout.locate()).ids()) ?? []

    @Test func theCourseHasAssignments() {
        #expect(Self.assignments.contains("producer-consumer"))
        #expect(Self.assignments.contains("mutual-exclusion"))
    }

    @Test(arguments: assignments.filter { $0 != "producer-consumer" })
    func solutionFullMarksTemplateAndMutantsLess(_ id: String) throws {
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest(id)
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        var validator = AssignmentValidator(
            layout: layout, manifest: manifest,
            checkProcess: CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits)),
            workspaceDirectory: workspace.appendingPathComponent("ws"))
        validator.solutionRepetitions = 1
        let results = try validator.validate()
        let solution = try #require(results.first { $0.variant == "solution" })
        #expect(solution.score == manifest.maxScore, "\(solution.problem ?? "")")
        #expect(results.count == 2 + (try Mutant.load(for: manifest, layout: layout)).count)
        for variant in results where variant.variant != "solution" {
            #expect(variant.score < manifest.maxScore, "\(id): \(variant.variant) must lose points")
        }
    }
}
