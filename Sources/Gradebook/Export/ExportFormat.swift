/// The file formats ``GradebookStore/export(_:assignmentID:)`` writes.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
    /// Plain CSV, one row per student and assignment. Columns: `student_id, name, assignment,
    /// score, max_score, commit, status, raw_score, late_penalty, overridden, override_reason,
    /// checks_version, graded_at`.
    case csv
    /// A JSON array, one object per student and assignment, with every check's outcome,
    /// points and seed (seeds are decimal strings: 64-bit values exceed JavaScript's exact
    /// integers).
    case json
    /// Canvas gradebook import CSV: `Student, ID, SIS User ID, SIS Login ID, Section`, a
    /// `Points Possible` row, then one column per assignment headed by its title (see
    /// `GradeSheet.canvas`). Students are matched on SIS User ID, which holds the student id.
    case canvas
    /// Moodle grade import CSV: `ID number, Full name`, then per assignment a grade column and
    /// its feedback column side by side. Choose "ID number" as the user mapping when importing.
    case moodle
    /// JUnit XML: a `testsuite` per student and assignment, a `testcase` per check, failures
    /// with their property and message.
    case junit
    /// LTI 1.3 Assignment and Grade Services scores, one JSON object per line, each ready to
    /// POST to the line item's `/scores` endpoint.
    case lti

    /// The usual file name extension for the format.
    public var fileExtension: String {
        switch self {
        case .csv, .canvas, .moodle: "csv"
        case .json: "json"
        case .junit: "xml"
        case .lti: "jsonl"
        }
    }
}
