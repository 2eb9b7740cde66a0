import ArgumentParser
import Foundation
import Gradebook
import Grading
import Testing
@testable import TurnstileCLI

/// Hostile submissions graded end to end in one batch with a correct control: each attack
/// class of the threat model (grading/SECURITY.md) either gets the honest score of the bug it
/// hides or is refused before compiling, and the control keeps 100.
@Suite(.serialized)
struct RedTeamTests {
    static let file = "Sources/ProducerConsumer/BoundedBuffer.swift"

    /// A LIFO buffer: `get` takes the newest item. Wrong, and every attack below hides it.
    static func lifo(_ solution: String) -> String {
        solution.replacingOccurrences(of: "current.removeFirst()", with: "current.removeLast()")
    }

    /// Attacks that compile: each must score exactly what the plain LIFO buffer scores.
    static let compiledAttacks: [String: String] = [
        // Shadowing the checks' names inside the student's own module (internal, so allowed).
        "shadow-require": "func require(_ condition: Bool, _ message: String) {}\n",
        "shadow-equals": "extension Array where Element == Int { static func == (lhs: [Int], rhs: [Int]) -> Bool { true } }\n",
        "shadow-runtime": "enum Runtime { static func spawn(name: String, _ body: @escaping () -> Void) {} }\n",
        "shadow-helper": "extension Array { func reversedIfNeeded() -> [Element] { self } }\n",
        // Forged output (see `forged`): lines that look like verdicts, printed by every new buffer.
        "forged-output": "",
    ]

    /// Attacks refused before compiling (status `rejected`, 0 points).
    static let refusedAttacks: [String: String] = [
        "public-require": "public func require(_ condition: Bool, _ message: String) {}\n",
        "public-equals": "public func == (lhs: [Int], rhs: [Int]) -> Bool { true }\n",
        "public-extension": "extension Array { public func reversedIfNeeded() -> [Element] { self } }\n",
        "import-comment": "import/**/Glibc\n",
        "import-newline": "import\nGlibc\n",
        "import-carriage-return": "// note\rimport Glibc\n",
        "import-vertical-tab": "import\u{0B}Glibc\n",
        "import-after-semicolon": "typealias Z = Int; import Glibc\n",
        "import-testable": "@testable import TurnstileRuntime\n",
        "import-spi": "@_spi(Engine) import TurnstileRuntime\n",
        "engine-detection": "let underTest = Runtime.isControlled\n",
        "source-location": "#sourceLocation(file: \"PublicChecks.swift\", line: 1)\nlet a = 1\n#sourceLocation()\n",
        "silgen": "@_silgen_name(\"exit\") func leave(_ code: Int32)\n",
    ]

    func run(_ arguments: [String], allowExit: Set<Int32> = [0, 1]) throws {
        do {
            var command = try Turnstile.parseAsRoot(arguments)
            try command.run()
        } catch let error as ExitCode where allowExit.contains(error.rawValue) {}
    }

    @Test func everyAttackGetsTheHonestScoreOrIsRefusedAndTheControlKeeps100() throws {
        let fixture = try CourseFixture(wallSeconds: 20)
        let course = ["--course", fixture.course.root.path]
        let deadline = Date().addingTimeInterval(-3_600)
        let solution = try fixture.variantSource("solution")
        var variants: [String: String] = ["control": solution, "lifo": Self.lifo(solution), "ring-broadcast": try fixture.variantSource("alternative:ring-broadcast")]
        for (name, extra) in Self.compiledAttacks { variants[name] = Self.lifo(solution) + "\n" + extra }
        variants["forged-output"] = Self.lifo(solution).replacingOccurrences(
            of: "self.capacity = capacity", with: "self.capacity = capacity; print(\"PASS no-lost-items\\n[passed] 10/10\\nScore: 100 / 100\")")
        for (name, extra) in Self.refusedAttacks { variants[name] = Self.lifo(solution) + "\n" + extra }
        variants["syntax-error"] = solution.replacingOccurrences(of: "lock.unlock()", with: "lock.unlock(")

        var roster = "student_id,name,repository\n"
        for (name, source) in variants.sorted(by: { $0.key < $1.key }) {
            let directory = fixture.path("students/\(name)")
            try run(["init", "producer-consumer", directory.path] + course)
            try source.write(to: directory.appendingPathComponent(Self.file), atomically: true, encoding: .utf8)
            try LocalRepository(directory: directory).commitAll(message: name, date: deadline.addingTimeInterval(-600))
            roster += "\(name),Student \(name),\(directory.path)\n"
        }
        try roster.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        try run(["grade", "producer-consumer", "--roster", fixture.path("roster.csv").path, "--db", database,
                 "--cache", fixture.path("cache").path] + course)

        let store = try GradebookStore(path: database)
        func detail(_ id: String) throws -> SubmissionDetail {
            try #require(try store.submissionDetail(studentID: id, assignmentID: "producer-consumer"), "\(id) was not graded")
        }
        let control = try detail("control").submission
        #expect(control.status == .graded && control.score == 100, "the correct control: \(control.status) \(control.score)")
        let ring = try detail("ring-broadcast").submission
        #expect(ring.status == .graded && ring.score == 100, "a correct buffer unlike the reference: \(ring.status) \(ring.score) \(ring.statusDetail) \(ring.checks.filter { $0.outcome != .passed }.map(\.checkID))")
        let honest = try detail("lifo").submission
        #expect(honest.status == .graded && honest.score < 100, "the plain LIFO buffer must lose points")
        // Scored checks only: an unscored native check passes or fails with how the operating
        // system interleaved real threads (a loaded machine), which is why it carries no points.
        let scoredVerdicts = { (checks: [CheckResultRecord]) in
            checks.filter { $0.maxPoints > 0 }.map { "\($0.checkID)=\($0.outcome.rawValue)" }
        }
        let honestVerdicts = scoredVerdicts(honest.checks)
        // The harness prints nothing of its own where the student's output is kept: no hidden
        // check's trace or replay reaches the student through "Your code printed".
        for check in honest.checks {
            #expect(!(check.studentOutput ?? "").contains("Replay this exact schedule"), "\(check.checkID)")
            #expect(!(check.studentOutput ?? "").contains("Schedule ("), "\(check.checkID)")
        }
        for name in Self.compiledAttacks.keys.sorted() {
            let attack = try detail(name).submission
            #expect(attack.status == .graded, "\(name): \(attack.status) \(attack.statusDetail)")
            #expect(attack.score == honest.score, "\(name) scored \(attack.score), the honest LIFO score is \(honest.score)")
            #expect(scoredVerdicts(attack.checks) == honestVerdicts, "\(name)")
        }
        for name in Self.refusedAttacks.keys.sorted() {
            let attack = try detail(name).submission
            #expect(attack.status == .rejected && attack.score == 0, "\(name): \(attack.status) \(attack.score)")
            #expect(attack.statusDetail.contains("BoundedBuffer.swift:"), "\(name) names the file and line: \(attack.statusDetail)")
        }
        let broken = try detail("syntax-error").submission
        #expect(broken.status == .buildFailed, "a syntax error is a build failure with the compiler's message, not a refusal")
        #expect(broken.statusDetail.contains("error:"))
    }
}
