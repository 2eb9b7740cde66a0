import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
import TurnstileTestSupport
@testable import TurnstileCLI

/// `turnstile grade --jobs 2`: two workers, each with its own workspace; killed with SIGKILL in
/// the middle of a batch and run again, every student ends with exactly one grade.
@Suite(.serialized)
struct ParallelGradingTests {
    static let file = "Sources/ProducerConsumer/BoundedBuffer.swift"

    /// The `turnstile` executable built beside the test bundle (`swift build --build-tests`).
    static var turnstile: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("turnstile")
    }

    func run(_ arguments: [String]) throws {
        do {
            var command = try Turnstile.parseAsRoot(arguments)
            try command.run()
        } catch let error as ExitCode where error.rawValue == 0 {}
    }

    @Test func aBatchKilledMidwayWithTwoJobsResumesWithNoGradeLostOrDuplicated() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.turnstile.path), "build the turnstile executable first: swift build --build-tests")
        let fixture = try CourseFixture()
        let course = ["--course", fixture.course.root.path]
        let students = ["s1", "s2", "s3", "s4"]
        var roster = "student_id,name,repository\n"
        for (index, student) in students.enumerated() {
            let repository = fixture.path("students/\(student)")
            try run(["init", "producer-consumer", repository.path] + course)
            // Two right answers and two wrong ones, so scores differ between students.
            let variant = ["solution", "missing-lock", "alternative:ring-broadcast", "if-not-while"][index]
            try fixture.variantSource(variant).write(to: repository.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
            try LocalRepository(directory: repository).commitAll(message: variant, date: Date().addingTimeInterval(-60))
            roster += "\(student),Student \(student),\(repository.path)\n"
        }
        try roster.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let arguments = ["grade", "producer-consumer", "--roster", fixture.path("roster.csv").path, "--db", database,
                         "--cache", fixture.path("cache").path, "--jobs", "2"] + course

        // First run: killed as soon as one grade is in the gradebook, others still in flight.
        let store = try GradebookStore(path: database)
        let process = Process()
        process.executableURL = Self.turnstile
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = fixture.path("first-run.stderr")
        try #require(FileManager.default.createFile(atPath: errors.path, contents: nil))
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning, Date() < deadline {
            let recorded = (try? store.grades(assignmentID: "producer-consumer").count) ?? 0
            if recorded >= 1 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let finishedAlone = !process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        let before = try #require(try? store.grades(assignmentID: "producer-consumer").map(\.studentID), "the first run recorded nothing; it said: \(said)")
        #expect(!before.isEmpty, "\(said)")
        if !finishedAlone { #expect(before.count < students.count, "killed before the batch finished") }

        // Second run: the same command resumes; --json gives one object per student.
        let resume = try BoundedProcess.run(Self.turnstile.path, arguments + ["--json"], timeout: 900, discardErrors: true)
        try #require(!resume.timedOut, "the resumed batch did not finish within 900 s")
        let printed = Data(resume.output.utf8)
        #expect(resume.status == 0)
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        let outcomes = try lines.map { try JSONDecoder().decode(StudentOutcome.self, from: Data($0.utf8)) }
        #expect(Set(outcomes.map(\.studentID)) == Set(students), "one JSON object per student: \(lines)")
        for outcome in outcomes {
            #expect(outcome.status == (before.contains(outcome.studentID) ? .skipped : .recorded(.graded)), "\(outcome.studentID): \(outcome.status)")
        }
        let grades = try store.grades(assignmentID: "producer-consumer")
        #expect(grades.map(\.studentID) == students)
        #expect(grades.allSatisfy { $0.status == .graded })
        #expect(grades.map(\.score).map { $0 == 100 } == [true, false, true, false], "\(grades.map(\.score))")
        for student in students {
            let history = try store.submissionHistory(studentID: student, assignmentID: "producer-consumer")
            #expect(history.count == 1, "\(student): one graded submission, not \(history.count)")
        }
        // Those graded before the kill were skipped, not graded twice.
        for student in before {
            #expect(try store.submissionHistory(studentID: student, assignmentID: "producer-consumer").count == 1)
        }
    }
}
