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
        // Every mutant in mutants.json on disk was validated, and every variant compiled and behaved.
        let mutants = try Mutant.load(for: manifest, layout: layout).map(\.id)
        let alternatives = try validator.alternativeNames()
        #expect(results.map(\.variant) == ["solution", "template"] + alternatives + mutants)
        for variant in results {
            #expect(variant.acceptable, "\(id): \(variant.variant): \(variant.problem ?? "")")
            if variant.variant == "solution" || alternatives.contains(variant.variant) {
                #expect(variant.score == manifest.maxScore, "\(id): \(variant.variant) is correct and must score full marks")
            } else {
                #expect(variant.score < manifest.maxScore, "\(id): \(variant.variant) must lose points")
            }
        }
    }

    /// A mutant whose edit breaks the build proves nothing: validation fails with the compiler's message.
    @Test func aMutantThatDoesNotCompileFailsValidation() throws {
        let fixture = try CourseFixture()
        let mutantsURL = fixture.course.path("grading/producer-consumer/mutants.json")
        var mutants = try JSONSerialization.jsonObject(with: Data(contentsOf: mutantsURL)) as! [[String: Any]]
        mutants.append([
            "id": "type-error", "description": "MUTANT that does not compile",
            "edits": [["find": "let item = current.removeFirst()", "replace": "let item: String = current.removeFirst() // MUTANT"]],
        ])
        try JSONSerialization.data(withJSONObject: mutants).write(to: mutantsURL)
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("producer-consumer")
        var validator = AssignmentValidator(
            layout: fixture.course, manifest: manifest,
            checkProcess: CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits)),
            workspaceDirectory: fixture.path("ws"))
        validator.only = ["type-error"]
        let result = try #require(try validator.validate().first)
        #expect(result.variant == "type-error")
        #expect(!result.acceptable)
        #expect(result.problem?.contains("mutant type-error does not compile") == true)
        #expect(result.problem?.contains("error:") == true, "the compiler's own message: \(result.problem ?? "")")
    }
}
