import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
@testable import TurnstileCLI

/// A process assignment graded end to end in the sandbox: the student's program gets every
/// import it asks for and unsafe code, yet nothing it does reaches a verdict. Each attack is a
/// program that answers nothing (honest score 0) and tries to forge a pass: printing records,
/// writing a record to every descriptor it can open (its own and, through `/proc`, any other
/// process's), signalling every pid, and reading other processes' memory and environment for
/// the grader's nonce. Each scores exactly 0; the correct controls keep 100.
@Suite(.serialized)
struct ProcessRedTeamTests {
    static let assignment = "message-passing"
    static let file = "Sources/MessagePassing/FramedService.swift"

    /// A program whose `serve` functions only run `attack` and return: it answers nothing.
    static func silent(_ attack: String) -> String {
        """
        import Glibc

        public enum FramedService {
            public static let maximumPayload = 65_536
            static func respond(to request: ArraySlice<UInt8>) -> [UInt8] { Array(request.reversed()) }
            public static func serve(listener: Int32, shutdown: Int32) { attack() }
            public static func serve(input: Int32, output: Int32) { attack() }
            static func forgedRecord() -> String {
                ["echo-one", "sequential-requests", "pipelined-random-sizes"].map {
                    "{\\"check\\":\\"\\($0)\\",\\"passed\\":true,\\"message\\":\\"\\",\\"nonce\\":\\"0\\",\\"schedules\\":1,\\"decisions\\":0,\\"durationSeconds\\":0,\\"strategy\\":\\"peer\\"}"
                }.joined(separator: "\\n") + "\\nPASS echo-one\\nScore: 100 / 100\\n"
            }
            static func attack() {
        \(attack)
            }
        }

        """
    }

    static let attacks: [String: String] = [
        "silent": "",
        "forged-output": """
                print(forgedRecord())
                fputs(forgedRecord(), stderr)
            """,
        "record-to-every-descriptor": """
                let record = forgedRecord()
                for fd in Int32(0)..<1024 { _ = write(fd, record, record.utf8.count) }
                // Through /proc: every descriptor of every process this program can see.
                if let directory = opendir("/proc") {
                    while let entry = readdir(directory) {
                        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                        guard Int32(name) != nil else { continue }
                        for fd in 0..<32 {
                            let target = open("/proc/\\(name)/fd/\\(fd)", O_WRONLY | O_NONBLOCK)
                            if target >= 0 { _ = write(target, record, record.utf8.count); close(target) }
                        }
                    }
                    closedir(directory)
                }
            """,
        "signal-everyone": """
                for pid in Int32(1)..<32_768 where pid != getpid() {
                    kill(pid, SIGSTOP)
                    kill(pid, SIGKILL)
                }
                kill(-1, SIGKILL)
            """,
        "read-other-processes": """
                // Look for the grader's nonce in every process's command line, environment and memory.
                var found = 0
                if let directory = opendir("/proc") {
                    while let entry = readdir(directory) {
                        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                        guard Int32(name) != nil, Int32(name) != getpid() else { continue }
                        for part in ["cmdline", "environ", "mem", "fd/0"] {
                            let fd = open("/proc/\\(name)/\\(part)", O_RDONLY | O_NONBLOCK)
                            guard fd >= 0 else { continue }
                            var buffer = [UInt8](repeating: 0, count: 4096)
                            if read(fd, &buffer, buffer.count) > 0 { found += 1 }
                            close(fd)
                        }
                    }
                    closedir(directory)
                }
                print("read \\(found) files of other processes")
            """,
    ]

    static func run(_ arguments: [String]) throws {
        do {
            var command = try Turnstile.parseAsRoot(arguments)
            try command.run()
        } catch let error as ExitCode where [0, 1].contains(error.rawValue) {}
    }

    /// Scaffolds one student repository per variant (its source as `file`), commits each before
    /// the deadline, grades them all in the sandbox and returns the gradebook.
    static func grade(_ variants: [String: String], assignment: String, file: String, in fixture: CourseFixture) throws -> GradebookStore {
        let course = ["--course", fixture.course.root.path]
        let deadline = Date().addingTimeInterval(-3_600)
        var roster = "student_id,name,repository\n"
        for (name, source) in variants.sorted(by: { $0.key < $1.key }) {
            let directory = fixture.path("students/\(name)")
            try run(["init", assignment, directory.path] + course)
            try source.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            try LocalRepository(directory: directory).commitAll(message: name, date: deadline.addingTimeInterval(-600))
            roster += "\(name),Student \(name),\(directory.path)\n"
        }
        try roster.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        try run(["grade", assignment, "--roster", fixture.path("roster.csv").path, "--db", database,
                 "--cache", fixture.path("cache").path, "--jobs", "1"] + course)
        return try GradebookStore(path: database)
    }

    /// The solution and the named alternatives of `assignment` (their `file`), and `attacks`
    /// as built by `make`: every variant a student repository, graded in the sandbox. Expects the
    /// controls at full marks and every attack graded 0 with each check *failed* (never the
    /// grader's error or incomplete). Returns the gradebook for further expectations.
    static func gradeAttacks(
        assignment: String, file: String, alternatives: [String], attacks: [String: String], make: (String) -> String
    ) throws -> GradebookStore {
        let fixture = try CourseFixture()
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest(assignment)
        var variants = ["control": try String(contentsOf: fixture.course.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)]
        for name in alternatives {
            variants[name] = try String(contentsOf: fixture.course.path("\(manifest.alternativesDirectory!)/\(name)/\(file)"), encoding: .utf8)
        }
        for (name, attack) in attacks { variants[name] = make(attack) }
        let store = try grade(variants, assignment: assignment, file: file, in: fixture)
        func submission(_ id: String) throws -> SubmissionRecord {
            try #require(try store.submissionDetail(studentID: id, assignmentID: assignment), "\(id) was not graded").submission
        }
        for control in ["control"] + alternatives {
            let graded = try submission(control)
            #expect(graded.status == .graded && graded.score == manifest.maxScore,
                    "\(control): \(graded.status) \(graded.score) \(graded.statusDetail) \(graded.checks.filter { $0.outcome != .passed }.map { "\($0.checkID): \($0.message)" })")
        }
        for name in attacks.keys.sorted() {
            let attack = try submission(name)
            #expect(attack.status == .graded, "\(name): \(attack.status) \(attack.statusDetail)")
            #expect(attack.score == 0, "\(name) scored \(attack.score); it answers nothing")
            for check in attack.checks {
                #expect(check.outcome == .failed, "\(name): \(check.checkID) is \(check.outcome.rawValue): \(check.message)")
            }
        }
        return store
    }

    @Test func everyForgeryGetsTheHonestScoreAndTheControlsKeep100() throws {
        let store = try Self.gradeAttacks(
            assignment: Self.assignment, file: Self.file, alternatives: ["thread-per-client"], attacks: Self.attacks, make: Self.silent)
        func submission(_ id: String) throws -> SubmissionRecord {
            try #require(try store.submissionDetail(studentID: id, assignmentID: Self.assignment), "\(id) was not graded").submission
        }
        // What a forger printed is shown as the student's own output, never taken for a verdict.
        let forged = try submission("forged-output")
        #expect(forged.checks.contains { ($0.studentOutput ?? "").contains("PASS echo-one") })
    }
}
