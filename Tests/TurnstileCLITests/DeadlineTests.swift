import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
@testable import TurnstileCLI

/// The deadline is enforced on what the grader saw and when; collected files survive the
/// repository; a failed regrade takes no grade away; a hostile git server costs one student.
@Suite(.serialized)
struct DeadlineTests {
    static let file = "Sources/ProducerConsumer/BoundedBuffer.swift"

    func run(_ arguments: [String], allowExit: Set<Int32> = [0, 1, 2]) throws {
        do {
            var command = try Turnstile.parseAsRoot(arguments)
            try command.run()
        } catch let error as ExitCode where allowExit.contains(error.rawValue) {}
    }

    /// A student repository whose one commit holds `variant`, dated `date`.
    func student(_ name: String, _ variant: String, date: Date, fixture: CourseFixture) throws -> URL {
        let directory = fixture.path("students/\(name)")
        try run(["init", "producer-consumer", directory.path, "--course", fixture.course.root.path])
        try fixture.variantSource(variant).write(to: directory.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
        try LocalRepository(directory: directory).commitAll(message: variant, date: date)
        return directory
    }

    @Test func aBackdatedCommitAfterTheCollectionIsLateByWhenTheGraderFirstSawIt() throws {
        let fixture = try CourseFixture()
        let course = ["--course", fixture.course.root.path]
        // The deadline was two hours ago; the collection ran at the deadline (simulated: now is
        // after it, and the late window of 3 days is still open).
        let deadline = Date().addingTimeInterval(-7_200)
        let backdater = try student("backdater", "missing-lock", date: deadline.addingTimeInterval(-1_200), fixture: fixture)
        try "student_id,name,repository\nbackdater,Back Dater,\(backdater.path)\n"
            .write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let common = ["--roster", fixture.path("roster.csv").path, "--db", database, "--cache", fixture.path("cache").path] + course
        try run(["collect", "producer-consumer"] + common)
        // After the collection: a fix that claims to be from before the deadline.
        try fixture.variantSource("solution").write(to: backdater.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
        try LocalRepository(directory: backdater).commitAll(message: "backdated fix", date: deadline.addingTimeInterval(-300))
        try run(["grade", "producer-consumer", "--deadline", ISO8601DateFormatter().string(from: deadline), "--allow-late"] + common)

        let store = try GradebookStore(path: database)
        let detail = try #require(try store.submissionDetail(studentID: "backdater", assignmentID: "producer-consumer"))
        #expect(detail.submission.status == .graded)
        #expect(detail.submission.statusDetail.contains("1 day(s) late"), "\(detail.submission.statusDetail)")
        #expect(detail.submission.statusDetail.contains("first seen by the grader"))
        #expect(!detail.submission.statusDetail.contains("collected at"), "the graded commit is not the collected one")
        #expect(detail.submission.latePenalty > 0, "late by the sighting, not '0 days late' by the claimed date")
    }

    @Test func collectedFilesAreGradedAfterAForcePushAndWithAFreshCacheAndAFailedRegradeKeepsTheGrade() throws {
        let fixture = try CourseFixture()
        let course = ["--course", fixture.course.root.path]
        let deadline = Date().addingTimeInterval(-600)
        let repository = try student("pusher", "solution", date: deadline.addingTimeInterval(-1_200), fixture: fixture)
        let ghost = try student("vanisher", "solution", date: deadline.addingTimeInterval(-1_200), fixture: fixture)
        try "student_id,name,repository\npusher,Force Pusher,\(repository.path)\nvanisher,Gone Later,\(ghost.path)\n"
            .write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let roster = ["--roster", fixture.path("roster.csv").path, "--db", database] + course
        try run(["collect", "producer-consumer", "--cache", fixture.path("cache1").path] + roster)
        let grade = ["grade", "producer-consumer", "--deadline", ISO8601DateFormatter().string(from: deadline)] + roster
        try run(grade + ["--cache", fixture.path("cache1").path])
        let store = try GradebookStore(path: database)
        #expect(try store.grades(assignmentID: "producer-consumer").allSatisfy { $0.score == 100 })

        // The history is rewritten (a new root commit with broken code, force-pushed) and one
        // repository disappears; the instructor regrades with a fresh cache.
        try FileManager.default.removeItem(at: repository.appendingPathComponent(".git"))
        try "broken".write(to: repository.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
        try LocalRepository(directory: repository).commitAll(message: "rewritten", date: deadline.addingTimeInterval(-60))
        try FileManager.default.removeItem(at: ghost)
        try run(grade + ["--cache", fixture.path("cache2").path, "--regrade"])

        let pusher = try #require(try store.submissionDetail(studentID: "pusher", assignmentID: "producer-consumer"))
        #expect(pusher.submission.status == .graded && pusher.submission.score == 100, "\(pusher.submission.statusDetail)")
        #expect(pusher.submission.statusDetail.contains("files kept when the grader collected"))
        let vanisher = try #require(try store.submissionDetail(studentID: "vanisher", assignmentID: "producer-consumer"))
        #expect(vanisher.submission.status == .graded && vanisher.submission.score == 100)
        #expect(vanisher.submission.statusDetail.contains("could not be fetched"))

        // Without kept files (never collected), a failed regrade is recorded but keeps the grade.
        let other = try student("plain", "solution", date: deadline.addingTimeInterval(-1_200), fixture: fixture)
        try "student_id,name,repository\nplain,Plain,\(other.path)\n".write(to: fixture.path("plain.csv"), atomically: true, encoding: .utf8)
        let plainGrade = ["grade", "producer-consumer", "--roster", fixture.path("plain.csv").path, "--db", database,
                          "--deadline", ISO8601DateFormatter().string(from: deadline)] + course
        try run(plainGrade + ["--cache", fixture.path("cache3").path])
        try FileManager.default.removeItem(at: other)
        try run(plainGrade + ["--cache", fixture.path("cache4").path, "--regrade"])
        let plain = try #require(try store.grades(assignmentID: "producer-consumer").first { $0.studentID == "plain" })
        #expect(plain.status == .graded && plain.score == 100, "the previous grade stays current")
        let audit = try store.submissionHistory(studentID: "plain", assignmentID: "producer-consumer")
        #expect(audit.map(\.status) == [.graded, .fetchFailed], "the failed attempt is recorded")
        #expect(audit.last?.statusDetail.contains("regrade failed, so the previous grade of 100/100") == true)
    }

    @Test func aHugeRepositoryAndAStalledServerCostOneStudentEachAndTheBatchGoesOn() throws {
        let fixture = try CourseFixture()
        let course = ["--course", fixture.course.root.path]
        let huge = try student("huge", "solution", date: Date().addingTimeInterval(-60), fixture: fixture)
        var random = SystemRandomNumberGenerator()
        let blob = Data((0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) })
        try blob.write(to: huge.appendingPathComponent("video.bin"))
        try LocalRepository(directory: huge).commitAll(message: "a big file", date: Date())
        let honest = try student("honest", "solution", date: Date().addingTimeInterval(-60), fixture: fixture)

        // A server that accepts connections and never answers.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = listen(listener, 8)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)

        try """
            student_id,name,repository
            huge,Huge Repo,file://\(huge.path)
            stalled,Stalled Server,http://127.0.0.1:\(port)/repo.git
            honest,Honest,\(honest.path)

            """.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let start = Date()
        try run(["grade", "producer-consumer", "--roster", fixture.path("roster.csv").path, "--db", database,
                 "--cache", fixture.path("cache").path, "--fetch-timeout", "2", "--fetch-max-mib", "1"] + course)
        #expect(Date().timeIntervalSince(start) < 120)
        let store = try GradebookStore(path: database)
        let grades = Dictionary(uniqueKeysWithValues: try store.grades(assignmentID: "producer-consumer").map { ($0.studentID, $0) })
        #expect(grades["honest"]?.score == 100)
        let hugeDetail = try #require(try store.submissionDetail(studentID: "huge", assignmentID: "producer-consumer"))
        #expect(hugeDetail.submission.status == .fetchFailed)
        #expect(hugeDetail.submission.statusDetail.contains("1 MiB limit"), "\(hugeDetail.submission.statusDetail)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("cache/mirrors/huge.git").path), "nothing of it is kept")
        let stalled = try #require(try store.submissionDetail(studentID: "stalled", assignmentID: "producer-consumer"))
        #expect(stalled.submission.status == .fetchFailed)
        #expect(stalled.submission.statusDetail.contains("took longer than 2 s"), "\(stalled.submission.statusDetail)")
    }
}
