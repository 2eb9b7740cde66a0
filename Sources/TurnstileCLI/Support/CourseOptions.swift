import ArgumentParser
import Foundation
import Gradebook
import Grading

/// `--course DIR`: which course checkout to use.
struct CourseOptions: ParsableArguments {
    @Option(name: .customLong("course"), help: "The course checkout holding Assignments/ (default: $TURNSTILE_HOME, else the checkout turnstile was built from).")
    var course: String?

    func layout() throws -> CourseLayout {
        if let course {
            let layout = CourseLayout(root: URL(fileURLWithPath: course))
            guard FileManager.default.fileExists(atPath: layout.assignments.path) else {
                throw ValidationError("--course \(course) has no Assignments/ directory")
            }
            return layout
        }
        return try CourseLayout.locate()
    }
}

/// `--db FILE`: the gradebook.
struct GradebookOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The gradebook file (SQLite); created if missing.")
    var database: String = "gradebook.sqlite"
}

/// Reads and parses a roster file, reporting each malformed line on standard error (the batch
/// goes on without it).
func readRoster(_ path: String) throws -> Roster {
    let text: String
    do {
        text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationError("cannot read the roster \(path): \(error.localizedDescription)")
    }
    let roster = try Roster.parse(text)
    for problem in roster.problems { printError("roster line \(problem.line): \(problem.message) — skipped") }
    return roster
}

/// `--cache`, or `.turnstile-cache` beside the gradebook.
func cacheDirectory(_ cache: String?, besideGradebook database: String) -> URL {
    URL(fileURLWithPath: cache ?? URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent(".turnstile-cache").path)
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Pads a table's columns.
func formatTable(_ rows: [[String]]) -> String {
    let rows = rows.map { $0.map { TerminalText.cell($0) } }
    guard let first = rows.first else { return "" }
    var widths = Array(repeating: 0, count: first.count)
    for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
    return rows.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// `12.5` → `12.5`, `10.0` → `10` (``ScoreText/display(_:)``).
func formatPoints(_ value: Double) -> String { ScoreText.display(value) }

/// How much fetching one student's repository may take.
struct FetchOptions: ParsableArguments {
    @Option(name: .customLong("fetch-timeout"), help: "Seconds one repository's fetch may take before it is abandoned.")
    var seconds: Double = 120
    @Option(name: .customLong("fetch-max-mib"), help: "MiB one repository's fetch may receive before it is stopped.")
    var maxMiB: Int = 64

    var limits: FetchLimits { FetchLimits(maxBytes: maxMiB << 20, seconds: seconds) }
}
