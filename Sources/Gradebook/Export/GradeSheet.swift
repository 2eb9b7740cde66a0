/// The CSV layouts of the exports: pure functions from gradebook contents to text. Every text
/// cell goes through ``CSV/text(_:)``, so a student named `=HYPERLINK(…)` stays text.
enum GradeSheet {
    /// Columns of the plain CSV export; the first seven are a stable contract.
    static let plainHeader = [
        "student_id", "name", "assignment", "score", "max_score", "commit", "status", "raw_score", "late_penalty",
        "overridden", "override_reason", "checks_version", "graded_at",
    ]

    /// One row per student and assignment with a recorded submission.
    static func plain(_ grades: [GradeRow]) -> String {
        let rows = grades.map { g in
            [
                CSV.text(g.studentID), CSV.text(g.name), CSV.text(g.assignmentID), ScoreText.format(g.score),
                ScoreText.format(g.maxScore), g.commitID ?? "", g.status.rawValue, ScoreText.format(g.rawScore),
                ScoreText.format(g.latePenalty), g.overridden ? "true" : "false", CSV.text(g.override?.reason ?? ""),
                CSV.text(g.checksVersion), DateText.format(g.gradedAt),
            ]
        }
        return CSV.encode([plainHeader] + rows)
    }

    /// Canvas layout, as Canvas's gradebook importer reads it: the student columns `Student, ID,
    /// SIS User ID, SIS Login ID, Section` (SIS User ID must be followed by SIS Login ID), a
    /// `Points Possible` row, then every student. An assignment column is headed by its title
    /// alone: Canvas reads a trailing `(…)` as its own assignment id, so a title's own trailing
    /// parenthesis is dropped, and a header containing "Current/Final/Override Score|Points|Grade"
    /// would be ignored by Canvas, so those words are changed. The student columns come from
    /// the roster's optional `canvas_id`, `sis_user_id`, `sis_login_id` and `section`; without
    /// them `ID` and `Section` stay empty and the student id goes in `SIS User ID` and
    /// `SIS Login ID`, which Canvas matches on. An empty cell is no grade.
    static func canvas(students: [StudentRecord], assignments: [AssignmentRecord], grades: [GradeRow]) -> String {
        let header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + assignments.map { CSV.text(canvasTitle($0.title)) }
        let possible = ["Points Possible", "", "", "", ""] + assignments.map { ScoreText.format($0.maxScore) }
        let index = byStudent(grades)
        let rows = students.map { s in
            [
                CSV.text(s.name), CSV.text(s.identity[.canvasID] ?? ""), CSV.text(s.identity[.sisUserID] ?? s.id),
                CSV.text(s.identity[.sisLoginID] ?? s.identity[.sisUserID] ?? s.id), CSV.text(s.identity[.section] ?? ""),
            ] + cells(index[s.id] ?? [:], assignments)
        }
        return CSV.encode([header, possible] + rows)
    }

    /// A title Canvas takes as a title: no trailing `(…)` (read as an assignment id) and none of
    /// the words that make Canvas drop a column.
    static func canvasTitle(_ title: String) -> String {
        var text = title.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            text = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        }
        for kind in ["Current", "Final", "Override"] {
            for measure in ["Score", "Points", "Grade"] {
                text = text.replacingOccurrences(of: "\(kind) \(measure)", with: "\(kind)-\(measure)", options: .caseInsensitive)
            }
        }
        return text.isEmpty ? "Assignment" : text
    }

    /// Moodle layout: `ID number` (the roster's `sis_user_id`, else the student id), `Full
    /// name`, `Email address` when the roster gave any, then per assignment its grade column and, right
    /// after it, its feedback column (`Title feedback`). Moodle maps columns at import; a
    /// feedback column imported without its grade column wipes grades, so they always travel
    /// together. The feedback is one line: status and the checks lost, with their property.
    static func moodle(
        students: [StudentRecord], assignments: [AssignmentRecord], grades: [GradeRow], checks: [Int64: [CheckResultRecord]]
    ) -> String {
        // Moodle matches on the identifier column chosen at import; e-mail is its usual one.
        let withEmail = students.contains { $0.identity[.email] != nil }
        let header =
            ["ID number", "Full name"] + (withEmail ? ["Email address"] : [])
            + assignments.flatMap { [CSV.text($0.title), CSV.text("\($0.title) feedback")] }
        let index = byStudent(grades)
        let rows = students.map { s in
            [CSV.text(s.identity[.sisUserID] ?? s.id), CSV.text(s.name)] + (withEmail ? [CSV.text(s.identity[.email] ?? "")] : [])
                + assignments.flatMap { a -> [String] in
                    guard let grade = index[s.id]?[a.id] else { return ["", ""] }
                    return [ScoreText.format(grade.score), CSV.text(summary(grade, checks[grade.submissionID] ?? []))]
                }
        }
        return CSV.encode([header] + rows)
    }

    /// One line about a grade: its status and the scored checks it lost.
    static func summary(_ grade: GradeRow, _ checks: [CheckResultRecord]) -> String {
        let lost = checks.filter { $0.maxPoints > 0 && $0.points < $0.maxPoints }.map { c in
            "\(c.checkID)" + (c.property.map { " (\($0))" } ?? "")
        }
        var text = "\(grade.status.rawValue), \(ScoreText.format(grade.score))/\(ScoreText.format(grade.maxScore))"
        if !lost.isEmpty { text += "; lost: " + lost.joined(separator: ", ") }
        if grade.overridden { text += "; set by an instructor" }
        return text
    }

    /// Grades keyed by student id, then assignment id.
    private static func byStudent(_ grades: [GradeRow]) -> [String: [String: GradeRow]] {
        var index: [String: [String: GradeRow]] = [:]
        for g in grades { index[g.studentID, default: [:]][g.assignmentID] = g }
        return index
    }

    private static func cells(_ grades: [String: GradeRow], _ assignments: [AssignmentRecord]) -> [String] {
        assignments.map { a in grades[a.id].map { ScoreText.format($0.score) } ?? "" }
    }
}
