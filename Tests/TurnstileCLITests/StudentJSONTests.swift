import ArgumentParser
import Foundation
import Testing
import TurnstileTestSupport
@testable import TurnstileCLI

/// `turnstile test --json`: what an editor reads — the vetting's refusals as compiler-style
/// lines, or each public check with its verdict and property.
@Suite(.serialized)
struct StudentJSONTests {
    func selfTest(in directory: URL) throws -> (status: Int32, report: [String: Any]) {
        let outcome = try BoundedProcess.run(
            ParallelGradingTests.turnstile.path, ["test", "--json"], timeout: 600, discardErrors: true, workingDirectory: directory.path)
        try #require(!outcome.timedOut, "turnstile test --json did not finish within 600 s")
        let data = Data(outcome.output.utf8)
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(outcome.output)")
        return (outcome.status, report)
    }

    @Test func theTemplateReportsEachCheckAndARefusedImportIsALine() throws {
        let fixture = try CourseFixture()
        let directory = fixture.path("me")
        var command = try Turnstile.parseAsRoot(["init", "producer-consumer", directory.path, "--course", fixture.course.root.path])
        try command.run()

        let template = try selfTest(in: directory)
        #expect(template.status == 1)
        #expect(template.report["status"] as? String == "checked")
        let checks = try #require(template.report["checks"] as? [[String: Any]])
        #expect(checks.map { $0["check"] as? String } == ["sequential-fifo", "one-producer-one-consumer"])
        #expect(checks.allSatisfy { $0["verdict"] as? String != "passed" && $0["property"] is String })

        let file = directory.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift")
        try ("import Foundation\n" + String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        let refused = try selfTest(in: directory)
        #expect(refused.status == 2)
        #expect(refused.report["status"] as? String == "refused")
        let refusals = try #require(refused.report["refusals"] as? [String])
        #expect(refusals.contains { $0.hasPrefix("Sources/ProducerConsumer/BoundedBuffer.swift:1:") && $0.contains("Foundation") }, "\(refusals)")
    }
}
