import Foundation
import Gradebook
import Grading
import ArgumentParser
import Testing
@testable import TurnstileCLI

/// Drives the `turnstile` commands in-process on local sample repositories, the way an
/// instructor and a student would.
@Suite(.serialized)
struct EndToEndTests {
    /// The producer-consumer mutants, read from the assignment's mutants.json on disk.
    static func mutants(_ fixture: CourseFixture) throws -> [String] {
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("producer-consumer")
        return try Mutant.load(for: manifest, layout: fixture.course).map(\.id)
    }

    func run(_ arguments: [String]) throws {
        var command = try Turnstile.parseAsRoot(arguments)
        try command.run()
    }

    /// Runs a command that must end with `ExitCode(code)`.
    func run(_ arguments: [String], expectExit code: Int32) throws {
        do {
            try run(arguments)
            Issue.record("expected exit code \(code) from \(arguments.joined(separator: " "))")
        } catch let error as ExitCode {
            #expect(error.rawValue == code)
        }
    }

    @Test func gradeSolutionTemplateMutantsBrokenAndMissingThenResumeAndExport() throws {
        let fixture = try CourseFixture(wallSeconds: 8)
        let course = ["--course", fixture.course.root.path]
        let deadline = Date().addingTimeInterval(-3_600)
        var roster = "student_id,name,repository\n"
        let mutants = try Self.mutants(fixture)
        #expect(mutants.contains("missing-signal"), "the hanging mutant this test relies on")
        let variants = ["solution", "template"] + mutants + ["broken"]
        for variant in variants {
            let directory = fixture.path("students/\(variant)")
            try run(["init", "producer-consumer", directory.path] + course)
            var source = try fixture.variantSource(variant == "broken" ? "solution" : variant)
            if variant == "broken" { source = source.replacingOccurrences(of: "lock.unlock()", with: "lock.unlock(") }
            try source.write(to: directory.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
            try LocalRepository(directory: directory).commitAll(message: variant, date: deadline.addingTimeInterval(-600))
            roster += "\(variant),Student \(variant),\(directory.path)\n"
        }
        // A commit after the deadline must be ignored: the solution's repository gets a broken one.
        let late = fixture.path("students/solution")
        try "broken after the deadline".write(to: late.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        try LocalRepository(directory: late).commitAll(message: "late", date: deadline.addingTimeInterval(600))
        roster += "ghost,Nobody,\(fixture.path("students/does-not-exist").path)\n"
        // A student whose only work came two hours after the deadline.
        let lateDirectory = fixture.path("students/late")
        try run(["init", "producer-consumer", lateDirectory.path] + course)
        try fixture.variantSource("solution").write(
            to: lateDirectory.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        // The scaffold's own commit is dated now (after the deadline) too.
        try LocalRepository(directory: lateDirectory).commitAll(message: "late work", date: deadline.addingTimeInterval(7_200))
        roster += "late,Late Student,\(lateDirectory.path)\n"
        // A student who, after the collection at the deadline, commits a fix dated before it.
        let backdater = fixture.path("students/backdater")
        try run(["init", "producer-consumer", backdater.path] + course)
        let backdaterFile = backdater.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift")
        try fixture.variantSource("missing-lock").write(to: backdaterFile, atomically: true, encoding: .utf8)
        try LocalRepository(directory: backdater).commitAll(message: "racy", date: deadline.addingTimeInterval(-1_200))
        roster += "backdater,Back Dater,\(backdater.path)\n"
        roster += "\"unterminated,quote\n"
        try roster.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        try run(["collect", "producer-consumer", "--roster", fixture.path("roster.csv").path, "--db", database,
                 "--cache", fixture.path("cache").path] + course, expectExit: 1)
        try fixture.variantSource("solution").write(to: backdaterFile, atomically: true, encoding: .utf8)
        try LocalRepository(directory: backdater).commitAll(message: "backdated fix", date: deadline.addingTimeInterval(-300))
        let gradeArguments = ["grade", "producer-consumer", "--roster", fixture.path("roster.csv").path,
                              "--deadline", ISO8601DateFormatter().string(from: deadline), "--db", database,
                              "--cache", fixture.path("cache").path] + course
        try run(gradeArguments, expectExit: 1)

        let store = try GradebookStore(path: database)
        let grades = Dictionary(uniqueKeysWithValues: try store.grades(assignmentID: "producer-consumer").map { ($0.studentID, $0) })
        #expect(grades["solution"]?.score == 100)
        #expect(grades["solution"]?.status == .graded)
        #expect((grades["template"]?.score ?? 100) < 100)
        for mutant in mutants {
            #expect(grades[mutant]?.status == .graded, "\(mutant)")
            #expect((grades[mutant]?.score ?? 100) < 100, "mutant \(mutant) must lose points")
        }
        #expect(grades["broken"]?.status == .buildFailed)
        #expect(grades["ghost"]?.status == .fetchFailed)
        #expect(grades["late"]?.status == .noCommitBeforeDeadline)
        #expect(grades.count == variants.count + 3)
        // The backdated commit came after the collection: the collected (racy) commit is graded.
        #expect(grades["backdater"]?.status == .graded)
        #expect((grades["backdater"]?.score ?? 100) < 100)
        let backdated = try #require(try store.submissionDetail(studentID: "backdater", assignmentID: "producer-consumer"))
        #expect(backdated.submission.statusDetail.contains("graded from the commit collected at"))

        // The hanging check was killed at its limit and the other checks still scored.
        let hanging = try #require(try store.submissionDetail(studentID: "missing-signal", assignmentID: "producer-consumer"))
        let progress = try #require(hanging.submission.checks.first { $0.checkID == "progress-many-threads" })
        #expect(progress.outcome == .timedOut)
        #expect(progress.maxPoints == 0, "a check on real threads is unscored: its verdict is not a function of the commit")
        #expect(progress.durationSeconds < 30)
        #expect(progress.message.contains("no progress"), "a timeout confirmed at twice the limit says what it means: \(progress.message)")
        #expect(hanging.submission.checks.contains { $0.outcome == .passed })
        #expect(hanging.submission.score > 0)

        // Resume: running the batch again grades nothing new.
        let before = try store.summary().submissions
        try run(gradeArguments, expectExit: 1)
        #expect(try store.summary().submissions == before + 2, "only the students with no gradable commit are retried")

        // With the late policy (10% per started day, up to 3 days), the late commit counts, with its penalty.
        try "student_id,name,repository\nlate,Late Student,\(lateDirectory.path)\n".write(
            to: fixture.path("late.csv"), atomically: true, encoding: .utf8)
        var lateArguments = gradeArguments
        lateArguments[lateArguments.firstIndex(of: fixture.path("roster.csv").path)!] = fixture.path("late.csv").path
        try run(lateArguments + ["--allow-late"])
        let lateGrade = try #require(try store.grades(assignmentID: "producer-consumer").first { $0.studentID == "late" })
        #expect(lateGrade.status == .graded)
        #expect(lateGrade.rawScore == 100)
        #expect(lateGrade.latePenalty == 10)
        #expect(lateGrade.score == 90)

        // Exports.
        let csvPath = fixture.path("grades.csv").path
        try run(["gradebook", "export", "--format", "csv", "--db", database, "--output", csvPath])
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.hasPrefix("student_id,name,assignment,score,max_score,commit,status"))
        let jsonPath = fixture.path("grades.json").path
        try run(["gradebook", "export", "--format", "json", "--db", database, "--output", jsonPath])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [[String: Any]]
        let solutionRow = try #require(json?.first { $0["student_id"] as? String == "solution" })
        let checks = try #require(solutionRow["checks"] as? [[String: Any]])
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("producer-consumer")
        #expect(checks.count == manifest.checks.count, "one exported result per check of the manifest")
        #expect(checks.allSatisfy { $0["outcome"] as? String == "passed" })
        // A passed check says what it covered (schedules, strategy), for the feedback.
        #expect(checks.contains { ($0["message"] as? String)?.contains("schedules") == true }, "\(checks)")
    }

    @Test func studentSelfTestFailsOnTheTemplateAndPassesWithTheSolution() throws {
        let fixture = try CourseFixture()
        let directory = fixture.path("me")
        try run(["init", "producer-consumer", directory.path, "--course", fixture.course.root.path])
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(directory.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        try run(["test"], expectExit: 1)
        try fixture.variantSource("solution").write(
            to: directory.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        try run(["test"])
        #expect(throws: ValidationError.self) { try run(["test", "no-such-check"]) }

        // Unbounded recursion in a logical thread hits its stack's guard page: a clean, reported crash.
        let solution = try fixture.variantSource("solution")
        let recursive = solution.replacingOccurrences(
            of: "    public func get() -> Element {\n", with: "    public func get() -> Element {\n        if capacity > 0 { return get() }\n")
        #expect(recursive != solution)
        try recursive.write(
            to: directory.appendingPathComponent("Sources/ProducerConsumer/BoundedBuffer.swift"), atomically: true, encoding: .utf8)
        let project = try StudentProject.locate(from: directory)
        let executable = try #require(try project.build().executable)
        let crash = try project.run(checkID: "one-producer-one-consumer", executable: executable, replay: nil)
        #expect(crash.verdict == .crashed)
        // The harness's report arrives on the record pipe, apart from anything the code printed.
        #expect((crash.crashReport ?? "").contains("stack overflow in logical thread consumer"), "\(crash.crashReport ?? "none")")
        #expect(!crash.studentOutput.contains("stack overflow in logical thread"))
    }

    @Test func unknownAssignmentIsAClearError() throws {
        let fixture = try CourseFixture()
        do {
            try run(["grade", "no-such-assignment", "--roster", "/dev/null", "--course", fixture.course.root.path])
            Issue.record("expected an error")
        } catch let exit as ExitCode {
            #expect(exit.rawValue == Turnstile.Grade.batchDidNotRun, "the batch could not run; the message went to standard error")
        }
        // The message printed is the catalog's:
        do {
            _ = try AssignmentCatalog(layout: fixture.course).manifest("no-such-assignment")
            Issue.record("expected an error")
        } catch let error as GradingError {
            #expect(error.localizedDescription.contains("there is no assignment 'no-such-assignment'"))
            let known = AssignmentCatalog(layout: fixture.course).ids()
            #expect(known.contains("producer-consumer"))
            #expect(error.localizedDescription.contains("known assignments: \(known.joined(separator: ", "))"))
        }
    }
}
