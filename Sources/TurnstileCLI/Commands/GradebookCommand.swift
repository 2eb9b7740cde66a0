import ArgumentParser
import Foundation
import Gradebook
import Grading

extension Turnstile {
    /// `turnstile gradebook export|show|feedback|override|replay`.
    struct GradebookCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gradebook",
            abstract: "Read, adjust and export the gradebook.",
            subcommands: [Show.self, Export.self, Feedback.self, Report.self, Triage.self, Merge.self, Override.self, Replay.self])

        static func table(_ rows: [GradeRow]) -> String {
            let header = ["student", "name", "assignment", "score", "status", "commit"]
            let body = rows.map { row in
                [row.studentID, row.name, row.assignmentID,
                 "\(formatPoints(row.score))/\(formatPoints(row.maxScore))\(row.overridden ? " (override)" : "")",
                 row.status.rawValue, row.commitID.map { String($0.prefix(8)) } ?? "-"]
            }
            return formatTable([header] + body)
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print the latest grade of every student.")
            @OptionGroup var gradebook: GradebookOptions
            @Option(help: "Only this assignment.") var assignment: String?

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                print(GradebookCommand.table(try store.grades(assignmentID: assignment)))
            }
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Export grades: csv (one row per student and assignment), json (with per-check points and outcomes), canvas or moodle.")
            @OptionGroup var gradebook: GradebookOptions
            @Option(help: "csv, json, canvas, moodle, junit (XML) or lti (AGS score objects, one JSON per line).") var format: ExportFormat = .csv
            @Option(help: "Only this assignment (canvas and moodle need one when there are several).") var assignment: String?
            @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                let text = try store.export(format, assignmentID: assignment)
                if let output {
                    try text.write(toFile: output, atomically: true, encoding: .utf8)
                    print("Wrote \(output)")
                } else {
                    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                }
            }
        }

        struct Feedback: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print the feedback a student reads for one submission.")
            @OptionGroup var gradebook: GradebookOptions
            @Argument(help: "The student id.") var student: String
            @Argument(help: "The assignment id.") var assignment: String
            @Flag(help: "Include traces of hidden checks (for instructors).") var hiddenTraces = false
            @Option(help: "Write a self-contained HTML page to this file instead of printing text.") var html: String?

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                if let html {
                    let page = try store.feedbackPage(studentID: student, assignmentID: assignment, includeHiddenTraces: hiddenTraces)
                    try page.write(toFile: html, atomically: true, encoding: .utf8)
                    print("Wrote \(html)")
                    return
                }
                print(try store.feedback(studentID: student, assignmentID: assignment, includeHiddenTraces: hiddenTraces))
            }
        }

        struct Report: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write an assignment's HTML report for the instructor and one feedback page per student.",
                discussion: "DIR/index.html: score histogram, pass rate per check, slowest submissions, and the submissions that failed the same way, each student linked to DIR/students/<id>.html (the page that student reads; hidden checks' schedules only with --hidden-traces).")
            @OptionGroup var gradebook: GradebookOptions
            @Argument(help: "The assignment id.") var assignment: String
            @Option(help: "The directory to write (created if missing).") var html: String
            @Flag(help: "Include traces of hidden checks in the student pages (for instructors; do not hand these pages to students).") var hiddenTraces = false

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                let root = URL(fileURLWithPath: html)
                let pages = root.appendingPathComponent("students")
                try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
                var files: [String: String] = [:]
                for grade in try store.grades(assignmentID: assignment) {
                    let name = Self.fileName(grade.studentID, taken: Set(files.values))
                    let page = try store.feedbackPage(studentID: grade.studentID, assignmentID: assignment, includeHiddenTraces: hiddenTraces)
                    try page.write(to: pages.appendingPathComponent(name), atomically: true, encoding: .utf8)
                    files[grade.studentID] = name
                }
                let report = try store.reportPage(assignmentID: assignment) { id in files[id].map { "students/\($0)" } }
                try report.write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
                print("Wrote \(root.appendingPathComponent("index.html").path) and \(files.count) student pages")
            }

            /// A file name from a student id: letters, digits, `.`, `-` and `_` kept, the rest `_`;
            /// made unique with a number if two ids clean to the same name.
            static func fileName(_ id: String, taken: Set<String>) -> String {
                let cleaned = String(id.unicodeScalars.map { scalar in
                    CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._-".unicodeScalars.contains(scalar) ? Character(scalar) : "_"
                })
                let base = cleaned.isEmpty || cleaned.hasPrefix(".") ? "student" + cleaned : cleaned
                var name = base + ".html"
                var counter = 2
                while taken.contains(name) {
                    name = "\(base)-\(counter).html"
                    counter += 1
                }
                return name
            }
        }

        struct Merge: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Merge shard gradebooks (from `grade --shard`) into one.",
                discussion: """
                    Copies each shard's students, runs, submissions with their checks and grades, collections, sightings, \
                    kept files and audit trail into --db, one transaction per shard. Merging a shard again adds nothing; a \
                    shard graded with other checks than --db is refused with nothing changed. The files kept at collection \
                    (<gradebook>.pinned/, content-addressed) are copied beside the merged gradebook too.
                    """)
            @OptionGroup var gradebook: GradebookOptions
            @Argument(help: "The shard gradebooks.") var shards: [String]

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                for shard in shards {
                    let summary = try store.merge(from: shard)
                    _ = try PinnedFileStore(gradebookPath: gradebook.database).absorb(PinnedFileStore(gradebookPath: shard))
                    print("\(shard): \(summary.submissions) submissions merged, \(summary.alreadyPresent) already present, \(summary.students) students added")
                }
            }
        }

        struct Triage: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Group the submissions that lost points by how they failed, largest group first.",
                discussion: """
                    A group is the same status and the same scored checks lost, each with the same property broken. \
                    Read one explanation per group (its example message; `gradebook feedback` for the details) instead of \
                    one per student.
                    """)
            @OptionGroup var gradebook: GradebookOptions
            @Argument(help: "The assignment id.") var assignment: String
            @Flag(help: "One JSON array of groups, for scripts.") var json = false

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                let groups = try store.triage(assignmentID: assignment)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(groups), as: UTF8.self))
                    return
                }
                if groups.isEmpty {
                    print("Every current submission of \(assignment) has full marks.")
                    return
                }
                for (index, group) in groups.enumerated() {
                    let count = group.students.count
                    print("\(index + 1). \(count) submission\(count == 1 ? "" : "s"): \(TerminalText.cell(group.students.joined(separator: ", "), width: 200))")
                    for line in group.signature { print("     \(TerminalText.cell(line, width: 200))") }
                    if !group.example.isEmpty { print("     e.g. \(TerminalText.cell(group.example, width: 200))") }
                }
            }
        }

        struct Override: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set a manual grade that survives regrades (recorded in the audit trail).")
            @OptionGroup var gradebook: GradebookOptions
            @Argument(help: "The student id.") var student: String
            @Argument(help: "The assignment id.") var assignment: String
            @Option(help: "The score to record.") var score: Double
            @Option(help: "Why (kept in the audit trail).") var reason: String

            func run() throws {
                let store = try GradebookStore(path: gradebook.database)
                try store.setOverride(studentID: student, assignmentID: assignment, score: score, reason: reason, by: store.actor)
                print("Override recorded: \(student) \(assignment) = \(formatPoints(score))")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
