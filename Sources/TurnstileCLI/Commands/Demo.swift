import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile {
    /// `turnstile demo`: the whole loop on built-in sample students.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade built-in sample students end to end and print the gradebook.",
            discussion: """
                Builds a throwaway course directory with five sample students of the producer-consumer assignment as \
                local git repositories — a correct one (with a broken commit after the deadline, which the grader \
                ignores), a racy one, a deadlocking one, one that does not compile, and one whose repository does \
                not exist — grades them in the sandbox, and prints the gradebook and where every file is.
                """)

        @Option(help: "Where to build the demo course (replaced if it holds an earlier demo).")
        var directory: String = "turnstile-demo"

        @Flag(help: "Run student code without the sandbox (not recommended).")
        var noSandbox = false

        @OptionGroup var course: CourseOptions

        static let marker = ".turnstile-demo"

        func run() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
            let root = URL(fileURLWithPath: directory).standardizedFileURL
            try prepare(root)
            let deadline = Date().addingTimeInterval(-3_600)
            print("Creating sample students in \(root.path)/students …")
            let students = try DemoStudents(layout: layout, manifest: manifest, root: root, deadline: deadline).create()
            let rosterURL = root.appendingPathComponent("roster.csv")
            try DemoStudents.roster(students).write(to: rosterURL, atomically: true, encoding: .utf8)
            let database = root.appendingPathComponent("gradebook.sqlite")
            let store = try GradebookStore(path: database.path)
            let options = GradingOptions(
                deadline: deadline, cacheDirectory: root.appendingPathComponent("cache"), useSandbox: !noSandbox)
            if noSandbox { printError("warning: --no-sandbox: sample code runs directly on this machine") }
            let pipeline = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
            print("Grading \(students.count) students (the first build compiles the runtime and checks; later ones reuse it)…")
            let summary = try pipeline.grade(roster: try Roster.parse(String(contentsOf: rosterURL, encoding: .utf8))) {
                print(Grade.describe($0))
            }
            let grades = try store.grades(assignmentID: manifest.id)
            print("\nGradebook\n" + GradebookCommand.table(grades))
            let csv = root.appendingPathComponent("grades.csv")
            let json = root.appendingPathComponent("grades.json")
            try store.export(.csv, assignmentID: nil).write(to: csv, atomically: true, encoding: .utf8)
            try store.export(.json, assignmentID: nil).write(to: json, atomically: true, encoding: .utf8)
            if let racy = students.first(where: { $0.id == "s02" }) {
                print("\nFeedback for \(racy.name), as the student reads it:\n")
                print(try store.feedback(studentID: racy.id, assignmentID: manifest.id).split(separator: "\n").prefix(40).joined(separator: "\n"))
            }
            print("""

                Files:
                  students' repositories  \(root.path)/students/
                  roster                  \(rosterURL.path)
                  gradebook (SQLite)      \(database.path)
                  exports                 \(csv.path), \(json.path)
                Try: turnstile gradebook feedback s03 producer-consumer --db \(database.path)
                """)
            try Self.verify(summary: summary, grades: grades, maxScore: manifest.maxScore)
        }

        private func prepare(_ root: URL) throws {
            let fileManager = FileManager.default
            if fileManager.fileExists(atPath: root.path) {
                guard fileManager.fileExists(atPath: root.appendingPathComponent(Self.marker).path) else {
                    throw ValidationError("\(root.path) exists and is not an earlier demo; pass --directory with a new path")
                }
                try fileManager.removeItem(at: root)
            }
            try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
            guard fileManager.createFile(atPath: root.appendingPathComponent(Self.marker).path, contents: Data()) else {
                throw ValidationError("cannot write in \(root.path); choose a writable directory with --directory")
            }
        }

        /// The demo passes only if the grader told the five students apart as intended.
        static func verify(summary: BatchSummary, grades: [GradeRow], maxScore: Double) throws {
            func outcome(_ id: String) -> StudentOutcome? { summary.outcomes.first { $0.studentID == id } }
            var problems: [String] = []
            if outcome("s01")?.score != maxScore { problems.append("the correct student did not get full marks") }
            if let racy = outcome("s02"), racy.status != .recorded(.graded) || racy.score >= maxScore { problems.append("the racy student was not caught") }
            if let deadlocking = outcome("s03"), deadlocking.status != .recorded(.graded) || deadlocking.score >= maxScore { problems.append("the deadlocking student was not caught") }
            if outcome("s04")?.status != .recorded(.buildFailed) { problems.append("the non-compiling student was not recorded as buildFailed") }
            if outcome("s05")?.status != .recorded(.fetchFailed) { problems.append("the missing repository was not recorded as fetchFailed") }
            if !problems.isEmpty {
                printError("demo: " + problems.joined(separator: "; "))
                throw ExitCode(1)
            }
            print("Demo complete: five students, five different outcomes, as expected.")
        }
    }
}
