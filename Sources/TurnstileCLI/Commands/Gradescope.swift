import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile {
    /// `turnstile gradescope ASSIGNMENT [--autograder DIR]`: Turnstile as a Gradescope autograder.
    struct Gradescope: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade the submission in a Gradescope autograder directory and write results/results.json.",
            discussion: """
                For the course's Gradescope `run_autograder` script: grades the files in DIR/submission (each of the \
                assignment's student files at its path, or anywhere in the upload under its own name) with the same \
                vetting, sandboxed build and checks as `turnstile grade`, and writes DIR/results/results.json in \
                Gradescope's format: the score, one test per check (public checks visible, hidden ones after the due \
                date, never their traces), and the feedback a student reads. The student id comes from \
                DIR/submission_metadata.json when present. Lateness is left to Gradescope.
                Exit status: 0 when graded (whatever the score), 1 when the grader itself failed (results.json then \
                says so and scores 0; rerun the submission).
                """)

        @Argument(help: "The assignment id.")
        var assignment: String

        @Option(help: "The autograder directory holding submission/ (results/ is written there).")
        var autograder: String = "/autograder"

        @OptionGroup var course: CourseOptions

        @Flag(help: "Run the student's code WITHOUT the sandbox (containers without user namespaces). Gradescope's container is then the only isolation.")
        var noSandbox = false

        func run() throws {
            let root = URL(fileURLWithPath: autograder)
            let results = root.appendingPathComponent("results")
            try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
            let start = Date()
            let student = Self.student(metadata: root.appendingPathComponent("submission_metadata.json"))
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-gradescope-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: work) }
            let document: GradescopeResults
            var failed = false
            do {
                try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
                let layout = try course.layout()
                let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
                let store = try GradebookStore(path: work.appendingPathComponent("gradebook.sqlite").path)
                let options = GradingOptions(deadline: nil, cacheDirectory: work.appendingPathComponent("cache"), useSandbox: !noSandbox)
                let pipeline = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
                let outcome = try pipeline.gradeUpload(root.appendingPathComponent("submission"), student: student)
                guard let detail = try store.submissionDetail(studentID: student.studentID, assignmentID: manifest.id) else {
                    throw ValidationError("the gradebook has no record of the submission just graded")
                }
                // Graded, rejected or not compiling are the student's results; anything else is the
                // grader's failure (incomplete: a safety net fired), shown as such with no checks
                // failed, since Gradescope has no next batch to regrade it: the staff rerun it.
                failed = !(outcome.status.recorded?.isFinal ?? false)
                document = failed
                    ? GradescopeResults(failure: "\(detail.submission.status.explanation): \(detail.submission.statusDetail)", seconds: Date().timeIntervalSince(start))
                    : GradescopeResults(detail: detail, seconds: Date().timeIntervalSince(start))
            } catch {
                failed = true
                document = GradescopeResults(failure: "\(error)", seconds: Date().timeIntervalSince(start))
            }
            try document.encoded().write(to: results.appendingPathComponent("results.json"))
            print("\(results.appendingPathComponent("results.json").path): \(formatPoints(document.score)) points")
            if failed { throw ExitCode(1) }
        }

        /// The student named in Gradescope's submission metadata (`users[0]`), or a placeholder.
        static func student(metadata: URL) -> RosterEntry {
            struct Metadata: Decodable {
                struct User: Decodable {
                    var email: String?
                    var name: String?
                    var id: Int?
                }
                var users: [User]?
            }
            let user = (try? JSONDecoder().decode(Metadata.self, from: Data(contentsOf: metadata)))?.users?.first
            let id = user?.email ?? user?.id.map(String.init) ?? "submission"
            return RosterEntry(studentID: id, name: user?.name ?? id, repository: "gradescope upload", line: 0)
        }
    }
}
