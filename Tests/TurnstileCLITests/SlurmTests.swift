import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
import TurnstileTestSupport
@testable import TurnstileCLI

/// Past one machine: the course's Slurm job array (`grading/slurm/submit.sh`) on a real
/// single-node cluster that the test starts (`Tests/Slurm/cluster.sh`), graded in two shards and
/// merged, gives the same gradebook as one machine grading the same roster.
@Suite(.serialized)
struct SlurmTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a script with a deadline (a cluster that never runs a job must fail the test, not
    /// hang the suite); daemons it starts may outlive it.
    @discardableResult
    func shell(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 600) throws -> (status: Int32, output: String) {
        let outcome = try BoundedProcess.run(
            "/bin/bash", arguments, environment: environment, timeout: timeout, killGroupAfterExit: false)
        try #require(!outcome.timedOut, "\(arguments.first ?? "") did not finish within \(Int(timeout)) s: \(outcome.output)")
        return (outcome.status, outcome.output)
    }

    /// What must be equal between the two gradebooks: per student, the grade and every check's outcome.
    func comparable(_ store: GradebookStore) throws -> [String] {
        try store.grades(assignmentID: "producer-consumer").map { grade in
            let detail = try #require(try store.submissionDetail(studentID: grade.studentID, assignmentID: "producer-consumer"))
            let checks = detail.submission.checks.filter { $0.maxPoints > 0 }.map { "\($0.checkID)=\($0.outcome.rawValue)" }
            return "\(grade.studentID) \(grade.status.rawValue) \(grade.score) \(grade.commitID ?? "-") \(grade.checksVersion) \(checks.joined(separator: ","))"
        }
    }

    @Test func aTwoShardJobArrayAndItsMergeEqualOneMachine() throws {
        let fixture = try CourseFixture()
        let clusterDirectory = fixture.path("slurm")
        let started = try shell([Self.repositoryRoot.appendingPathComponent("Tests/Slurm/cluster.sh").path, "start", clusterDirectory.path])
        if started.status == 3 {
            print("SKIPPED: \(started.output) — the Slurm job-array test needs Debian's slurm-wlm")
            return
        }
        try #require(started.status == 0, "the test cluster did not start: \(started.output)")
        defer {
            _ = try? shell([Self.repositoryRoot.appendingPathComponent("Tests/Slurm/cluster.sh").path, "stop", clusterDirectory.path])
            // The cluster's files live in the fixture: keep it until the daemons are gone.
            withExtendedLifetime(fixture) {}
        }

        let course = ["--course", fixture.course.root.path]
        var roster = "student_id,name,repository\n"
        for (index, variant) in ["solution", "missing-lock", "if-not-while", "alternative:ring-broadcast"].enumerated() {
            let repository = fixture.path("students/s\(index)")
            var command = try Turnstile.parseAsRoot(["init", "producer-consumer", repository.path] + course)
            try command.run()
            try fixture.variantSource(variant).write(
                to: repository.appendingPathComponent(ParallelGradingTests.file), atomically: true, encoding: .utf8)
            try LocalRepository(directory: repository).commitAll(message: variant, date: Date().addingTimeInterval(-60))
            roster += "s\(index),Student \(index),\(repository.path)\n"
        }
        let rosterPath = fixture.path("roster.csv").path
        try roster.write(toFile: rosterPath, atomically: true, encoding: .utf8)

        // One machine.
        let single = fixture.path("single.sqlite").path
        do {
            var command = try Turnstile.parseAsRoot(
                ["grade", "producer-consumer", "--roster", rosterPath, "--db", single, "--cache", fixture.path("single-cache").path] + course)
            try command.run()
        } catch let exit as ExitCode where exit.rawValue == 1 {}

        // The cluster: two shards and the merge, waited for.
        let work = fixture.path("work")
        let submitted = try shell(
            [Self.repositoryRoot.appendingPathComponent("grading/slurm/submit.sh").path, "--wait"],
            environment: [
                "SLURM_CONF": clusterDirectory.appendingPathComponent("slurm.conf").path,
                "TURNSTILE": ParallelGradingTests.turnstile.path, "ASSIGNMENT": "producer-consumer", "ROSTER": rosterPath,
                "WORK": work.path, "COURSE": fixture.course.root.path, "SHARDS": "2",
            ])
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []).filter { $0.hasSuffix(".out") }
            .map { (try? String(contentsOf: work.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined(separator: "\n")
        try #require(submitted.status == 0, "submit.sh: \(submitted.output)\n\(logs)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("shard-0.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("shard-1.sqlite").path))

        let merged = try GradebookStore(path: work.appendingPathComponent("gradebook.sqlite").path)
        let expected = try comparable(GradebookStore(path: single))
        #expect(expected.count == 4)
        #expect(try comparable(merged) == expected)
        #expect(try merged.auditTrail(limit: 1_000).filter { $0.action == .gradebookMerged }.count == 2)
    }
}
