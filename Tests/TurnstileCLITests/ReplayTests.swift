import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
@testable import TurnstileCLI

/// An instructor replays a hidden check's failure against the graded commit and gets the
/// recorded verdict again, with the full trace; one schedule replays alone by its seed.
@Suite(.serialized)
struct ReplayTests {
    static let file = "Sources/ProducerConsumer/BoundedBuffer.swift"

    func run(_ arguments: [String], allowExit: Set<Int32> = [0]) throws {
        do {
            var command = try Turnstile.parseAsRoot(arguments)
            try command.run()
        } catch let error as ExitCode where allowExit.contains(error.rawValue) {}
    }

    @Test func aHiddenFailureReplaysWithTheSameVerdictAndItsTrace() throws {
        let fixture = try CourseFixture()
        let course = ["--course", fixture.course.root.path]
        let repository = fixture.path("students/cargill")
        try run(["init", "producer-consumer", repository.path] + course)
        try fixture.variantSource("single-condition-signal").write(
            to: repository.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
        try LocalRepository(directory: repository).commitAll(message: "one condition", date: Date().addingTimeInterval(-60))
        try "student_id,name,repository\ncargill,Tom Cargill,\(repository.path)\n"
            .write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let cache = fixture.path("cache")
        try run(["grade", "producer-consumer", "--roster", fixture.path("roster.csv").path, "--db", database, "--cache", cache.path] + course)

        let store = try GradebookStore(path: database)
        let graded = try #require(try store.submissionDetail(studentID: "cargill", assignmentID: "producer-consumer"))
        let recorded = try #require(graded.submission.checks.first { $0.checkID == "no-deadlock-capacity-1" })
        #expect(recorded.outcome == .failed && recorded.visibility == .hidden)

        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("producer-consumer")
        let pipeline = try GradingPipeline(
            layout: fixture.course, manifest: manifest, store: store,
            options: GradingOptions(deadline: nil, cacheDirectory: cache, useSandbox: true, regrade: false, allowLate: false))
        let replay = try pipeline.replay(studentID: "cargill", checkID: "no-deadlock-capacity-1")
        #expect(replay.sameVerdict && !replay.checksChanged)
        #expect(replay.result.verdict == .failed)
        #expect(replay.result.message.contains("deadlock"), "\(replay.result.message)")
        #expect(replay.source.contains("mirror"))
        let trace = try #require(replay.result.record?.trace)
        #expect(trace.contains("BoundedBuffer.swift"), "the full trace reaches the instructor")
        #expect(replay.result.message == recorded.message, "the same first failing schedule as when graded")

        // One schedule alone, by its seed (random and PCT checks report one).
        if let seed = replay.result.record?.replaySeed {
            let alone = try pipeline.replay(studentID: "cargill", checkID: "no-deadlock-capacity-1", executionSeed: seed)
            #expect(alone.result.verdict == .failed)
            #expect(alone.result.record?.trace == trace)
        }
        // A passing check replays as passed.
        #expect(try pipeline.replay(studentID: "cargill", checkID: "sequential-fifo").sameVerdict)

        // What the instructor types; exit 0 because the verdict matches.
        try run(["gradebook", "replay", "cargill", "no-deadlock-capacity-1", "--assignment", "producer-consumer",
                 "--db", database, "--cache", cache.path] + course)
    }

    @Test func replayErrorsSayWhatIsMissing() throws {
        let fixture = try CourseFixture()
        let store = try GradebookStore(path: fixture.path("gradebook.sqlite").path)
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("producer-consumer")
        try store.upsertAssignment(AssignmentRecord(
            id: manifest.id, title: manifest.title, maxScore: manifest.maxScore, checksVersion: manifest.checksVersion))
        try store.upsertStudent(StudentRecord(id: "ada", name: "Ada", repository: "/nowhere"))
        let pipeline = try GradingPipeline(
            layout: fixture.course, manifest: manifest, store: store,
            options: GradingOptions(deadline: nil, cacheDirectory: fixture.path("cache"), useSandbox: false, regrade: false, allowLate: false))
        #expect(throws: GradingError.io("producer-consumer has no check 'nope'; its checks are \(manifest.checks.map(\.id).joined(separator: ", "))")) {
            try pipeline.replay(studentID: "ada", checkID: "nope")
        }
        do {
            _ = try pipeline.replay(studentID: "ada", checkID: "sequential-fifo")
            Issue.record("a student without a submission cannot be replayed")
        } catch let error as GradingError {
            #expect(error.localizedDescription.contains("grade it first"))
        }
        #expect(throws: ValidationError.self) { try Turnstile.GradebookCommand.Replay.parseSeed("zz") }
        #expect(try Turnstile.GradebookCommand.Replay.parseSeed("0x1F") == 31)
    }
}
