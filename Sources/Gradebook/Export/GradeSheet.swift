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

    /// Canvas layout: every student, one `Title (max)` column per assignment; empty cell = no grade.
    static func canvas(students: [StudentRecord], assignments: [AssignmentRecord], grades: [GradeRow]) -> String {
        let header =
            ["Student", "ID", "SIS User ID", "Section"]
            + assignments.map { CSV.text("\($0.title) (\(ScoreText.format($0.maxScore)))") }
        let index = byStudent(grades)
        let rows = students.map { s in [CSV.text(s.name), "", CSV.text(s.id), ""] + cells(index[s.id] ?? [:], assignments) }
        return CSV.encode([header] + rows)
    }

    /// Moodle layout: every student, one column per assignment titled with its title.
    static func moodle(students: [StudentRecord], assignments: [AssignmentRecord], grades: [GradeRow]) -> String {
        let header = ["ID number", "Full name"] + assignments.map { CSV.text($0.title) }
        let index = byStudent(grades)
        let rows = students.map { s in [CSV.text(s.id), CSV.text(s.name)] + cells(index[s.id] ?? [:], assignments) }
        return CSV.encode([header] + rows)
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
