import ArgumentParser
import Foundation
import Testing
import TurnstileTestSupport
@testable import TurnstileCLI

/// Turnstile inside Gradescope: a directory laid out like `/autograder` gives a `results.json`
/// in Gradescope's autograder format.
@Suite(.serialized)
struct GradescopeTests {
    func run(_ arguments: [String]) throws -> Int32 { try turnstileExitStatus(arguments) }

    /// The keys and value kinds the autograder specification lists for results.json.
    func checkFormat(_ results: [String: Any]) throws -> [[String: Any]] {
        #expect(results["score"] is Double || results["score"] is Int)
        #expect(results["execution_time"] is Double || results["execution_time"] is Int)
        #expect(results["output"] is String)
        #expect(["hidden", "after_due_date", "after_published", "visible"].contains(results["visibility"] as? String))
        let tests = try #require(results["tests"] as? [[String: Any]])
        for test in tests {
            #expect(test["name"] is String && test["number"] is String && test["output"] is String)
            #expect(test["score"] is Double || test["score"] is Int)
            #expect(test["max_score"] is Double || test["max_score"] is Int)
            #expect(["passed", "failed"].contains(test["status"] as? String))
            #expect(["hidden", "after_due_date", "after_published", "visible"].contains(test["visibility"] as? String))
        }
        return tests
    }

    @Test func aRacyUploadInADirectoryLaidOutLikeAutograderGetsItsScoreAndOneTestPerCheck() throws {
        let fixture = try CourseFixture()
        let autograder = fixture.path("autograder")
        // Gradescope flattens uploads: the student file sits at the top, not under Sources/.
        try FileManager.default.createDirectory(at: autograder.appendingPathComponent("submission"), withIntermediateDirectories: true)
        try fixture.variantSource("missing-lock").write(
            to: autograder.appendingPathComponent("submission/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        try #"{"users":[{"email":"ada@example.edu","name":"Ada Lovelace","id":7}],"created_at":"2026-12-01T10:00:00Z"}"#
            .write(to: autograder.appendingPathComponent("submission_metadata.json"), atomically: true, encoding: .utf8)

        let status = try run(["gradescope", "producer-consumer", "--autograder", autograder.path, "--course", fixture.course.root.path])
        #expect(status == 0)
        let data = try Data(contentsOf: autograder.appendingPathComponent("results/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tests = try checkFormat(results)
        let score = try #require(results["score"] as? Double)
        #expect(score > 0 && score < 100, "a racy buffer loses some checks: \(score)")
        #expect(tests.count == 11, "one test per check of the manifest")
        let sum = tests.compactMap { $0["score"] as? Double }.reduce(0, +)
        #expect(sum == score)
        let failed = tests.filter { $0["status"] as? String == "failed" }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { ($0["output"] as? String)?.contains("Property broken:") == true }, "\(failed)")
        let hidden = tests.filter { $0["visibility"] as? String == "after_due_date" }
        #expect(hidden.count == 9)
        #expect(!hidden.contains { ($0["output"] as? String)?.contains("HiddenChecks.swift") == true }, "no hidden-check location leaves the grader")
        #expect(!hidden.contains { ($0["output"] as? String)?.contains("Trace:") == true }, "no hidden trace")
    }

    @Test func anUploadWithoutTheStudentFileIsRejectedWithWhatToUpload() throws {
        let fixture = try CourseFixture()
        let autograder = fixture.path("autograder")
        try FileManager.default.createDirectory(at: autograder.appendingPathComponent("submission"), withIntermediateDirectories: true)
        try "print(1)\n".write(to: autograder.appendingPathComponent("submission/Other.swift"), atomically: true, encoding: .utf8)
        let status = try run(["gradescope", "producer-consumer", "--autograder", autograder.path, "--course", fixture.course.root.path])
        #expect(status == 0, "a rejected upload is the student's result, not a grader failure")
        let data = try Data(contentsOf: autograder.appendingPathComponent("results/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        _ = try checkFormat(results)
        #expect(results["score"] as? Double == 0)
        let output = try #require(results["output"] as? String)
        #expect(output.contains("BoundedBuffer.swift is missing: upload it"), "\(output)")
    }

    /// A build the safety net stopped twice is the grader's failure: Gradescope has no next
    /// batch, so the results say so (the staff rerun it) and no check is shown as failed.
    @Test func aBuildTheSafetyNetStoppedIsAGraderFailureNotFailedChecks() throws {
        let fixture = try CourseFixture()
        let manifestURL = fixture.course.root.appendingPathComponent("Assignments/producer-consumer/assignment.json")
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        var limits = try #require(manifest["limits"] as? [String: Any])
        limits["buildSeconds"] = 1  // a build of the bomb below cannot finish in 1 s, nor in 2
        manifest["limits"] = limits
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let autograder = fixture.path("autograder")
        try FileManager.default.createDirectory(at: autograder.appendingPathComponent("submission"), withIntermediateDirectories: true)
        // The solution with expressions the type checker takes seconds over (the workspace is
        // warmed up with the solution first, so the solution alone builds in about a second);
        // unsandboxed, no cgroup measures the CPU, so two stops are the machine's.
        try (fixture.variantSource("solution") + "\n" + TypeCheckerBomb.declarations).write(
            to: autograder.appendingPathComponent("submission/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        let status = try run(["gradescope", "producer-consumer", "--autograder", autograder.path, "--course", fixture.course.root.path, "--no-sandbox"])
        #expect(status == 1, "the staff's run fails, so they see it")
        let data = try Data(contentsOf: autograder.appendingPathComponent("results/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tests = try checkFormat(results)
        #expect(tests.isEmpty, "no check is reported failed")
        let output = try #require(results["output"] as? String)
        #expect(output.hasPrefix("The grader could not grade this submission") && output.contains("safety net after 1 s, and again after 2 s"), "\(output)")
    }
}
