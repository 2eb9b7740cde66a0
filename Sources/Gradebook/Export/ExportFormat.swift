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
    /// Canvas gradebook import CSV: `Student, ID, SIS User ID, Section`, then one
    /// `Title (max)` column per assignment. Canvas's own numeric `ID` is unknown to Turnstile
    /// and left empty; the student id goes in `SIS User ID`, which Canvas matches on. Map the
    /// assignment columns in Canvas's import preview.
    case canvas
    /// Moodle grade import CSV: `ID number, Full name`, then one column per assignment
    /// titled with its title. Moodle usually matches on `Email address`, which Turnstile
    /// does not know: choose "ID number" as the user mapping when importing.
    case moodle

    /// The usual file name extension for the format.
    public var fileExtension: String { self == .json ? "json" : "csv" }
}
