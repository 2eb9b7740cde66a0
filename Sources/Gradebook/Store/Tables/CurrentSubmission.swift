import Foundation
import GRDB

/// A submission joined with its grade, its student's name and its assignment's title: one row
/// of ``GradebookStore``'s submission queries, decoded as the two table records it joins.
struct CurrentSubmission: FetchableRecord {
    /// The `submissions` columns.
    var submission: StoredSubmission
    /// The `grades` columns.
    var grade: StoredGrade
    var studentName: String
    var assignmentTitle: String

    /// The query's selection, to be followed by a `WHERE` on `s` (submissions). The two tables'
    /// column names are disjoint, so each record decodes its own from the one row.
    static let select = """
        SELECT s.*, g.*, st.name AS student_name, a.title AS assignment_title
        FROM submissions s
        JOIN grades g ON g.submission_id = s.id
        JOIN students st ON st.id = s.student_id
        JOIN assignments a ON a.id = s.assignment_id
        """

    init(row: Row) throws {
        submission = try StoredSubmission(row: row)
        grade = try StoredGrade(row: row)
        studentName = row["student_name"]
        assignmentTitle = row["assignment_title"]
    }

    /// The submission's id (a fetched row always has one).
    var id: Int64 { submission.id ?? grade.submissionID }

    /// The row of the grade list.
    var gradeRow: GradeRow {
        let override = grade.override
        return GradeRow(
            studentID: submission.studentID, name: studentName, assignmentID: submission.assignmentID,
            score: GradeRow.finalScore(rawScore: grade.score, latePenalty: grade.latePenalty, override: override?.score),
            maxScore: grade.maxScore, commitID: submission.commitID, status: submission.status,
            overridden: override != nil, rawScore: grade.score, latePenalty: grade.latePenalty, override: override,
            checksVersion: submission.checksVersion, submissionID: id, gradedAt: submission.gradedAt)
    }

    /// The full detail, with `checks`.
    func detail(checks: [CheckResultRecord]) -> SubmissionDetail {
        SubmissionDetail(
            submissionID: id, runID: submission.runID, studentName: studentName, assignmentTitle: assignmentTitle,
            submission: submission.record(checks: checks, grade: grade), override: grade.override)
    }
}
