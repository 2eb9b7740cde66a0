import Foundation
import GRDB

extension GradebookStore {
    /// Exports current grades (latest submission per student and assignment, after penalties
    /// and overrides) in one of the ``ExportFormat``s.
    ///
    /// CSV formats are RFC 4180 with CRLF line ends. `canvas` and `moodle` list every student,
    /// leaving a cell empty where there is no grade; `csv`, `json`, `junit` and `lti` list only
    /// recorded grades.
    /// All data comes from one read transaction, so a concurrent grading run never shows half.
    ///
    /// - Parameters:
    ///   - format: The file format.
    ///   - assignmentID: Only this assignment, or every assignment if `nil`.
    /// - Returns: The file contents.
    /// - Throws: ``GradebookError/unknownAssignment(_:)``; ``GradebookError/database(message:)``.
    public func export(_ format: ExportFormat, assignmentID: String?) throws -> String {
        try read { db in
            let grades = try currentSubmissions(db, assignmentID: assignmentID).map(\.gradeRow)
            switch format {
            case .csv:
                return GradeSheet.plain(grades)
            case .json:
                let checks = try checks(db, submissionIDs: grades.map(\.submissionID))
                let documents = grades.map {
                    GradeDocument(grade: $0, checks: (checks[$0.submissionID] ?? []).map(GradeDocument.Check.init))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                do {
                    return String(decoding: try encoder.encode(documents), as: UTF8.self) + "\n"
                } catch {
                    throw GradebookError.database(message: "a stored value cannot be written as JSON (\(error))")
                }
            case .junit:
                return JUnitReport.render(grades: grades, checks: try checks(db, submissionIDs: grades.map(\.submissionID)))
            case .lti:
                do {
                    let users = Dictionary(uniqueKeysWithValues: try allStudents(db).map { ($0.id, $0.identity[.ltiUserID] ?? $0.id) })
                    return try LTIScore.lines(
                        grades: grades, checks: try checks(db, submissionIDs: grades.map(\.submissionID)), users: users)
                } catch let error as GradebookError {
                    throw error
                } catch {
                    throw GradebookError.database(message: "a stored value cannot be written as JSON (\(error))")
                }
            case .canvas, .moodle:
                let students = try allStudents(db)
                let assignments =
                    try assignmentID.map { [try requireAssignment(db, $0)] }
                    ?? StoredAssignment.order(Column("id")).fetchAll(db).map(\.record)
                if format == .canvas {
                    return GradeSheet.canvas(students: students, assignments: assignments, grades: grades)
                }
                let checks = try checks(db, submissionIDs: grades.map(\.submissionID))
                return GradeSheet.moodle(students: students, assignments: assignments, grades: grades, checks: checks)
            }
        }
    }

    /// Feedback a student can read about their latest submission: status, score, and every
    /// check with its outcome, points, message and (for public checks) trace.
    ///
    /// - Parameters:
    ///   - studentID: The student.
    ///   - assignmentID: The assignment.
    ///   - includeHiddenTraces: Also show traces of hidden checks (off by default: a trace
    ///     may reveal how a hidden check works). Outcomes, points, messages and seeds of hidden
    ///     checks are always shown.
    /// - Returns: Plain text, lines ending in `\n`.
    /// - Throws: ``GradebookError/noSubmission(studentID:assignmentID:)`` if nothing was
    ///   recorded, ``GradebookError/unknownStudent(_:)``, ``GradebookError/unknownAssignment(_:)``,
    ///   ``GradebookError/database(message:)``.
    public func feedback(studentID: String, assignmentID: String, includeHiddenTraces: Bool = false) throws -> String {
        guard let detail = try submissionDetail(studentID: studentID, assignmentID: assignmentID) else {
            throw GradebookError.noSubmission(studentID: studentID, assignmentID: assignmentID)
        }
        return FeedbackText(detail: detail, includeHiddenTraces: includeHiddenTraces).render()
    }
}
