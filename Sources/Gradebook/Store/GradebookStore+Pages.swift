import Foundation
import GRDB

extension GradebookStore {
    /// A student's feedback as a self-contained HTML page (what ``feedback(studentID:assignmentID:includeHiddenTraces:)``
    /// says, with each failing schedule as a table of threads to step through).
    ///
    /// - Throws: As ``feedback(studentID:assignmentID:includeHiddenTraces:)``.
    public func feedbackPage(studentID: String, assignmentID: String, includeHiddenTraces: Bool = false) throws -> String {
        guard let detail = try submissionDetail(studentID: studentID, assignmentID: assignmentID) else {
            throw GradebookError.noSubmission(studentID: studentID, assignmentID: assignmentID)
        }
        return FeedbackPage(detail: detail, includeHiddenTraces: includeHiddenTraces).render()
    }

    /// An assignment's grades as one HTML page for the instructor: score histogram, pass rate
    /// per check, slowest submissions, and the ``triage(assignmentID:)`` groups.
    ///
    /// - Parameters:
    ///   - assignmentID: The assignment.
    ///   - link: The address of a student's own page (relative to the report), or nil for none.
    /// - Throws: ``GradebookError/unknownAssignment(_:)``; ``GradebookError/database(message:)``.
    public func reportPage(assignmentID: String, link: @escaping (String) -> String? = { _ in nil }) throws -> String {
        let groups = try triage(assignmentID: assignmentID)
        return try read { db in
            let assignment = try requireAssignment(db, assignmentID)
            let current = try currentSubmissions(db, assignmentID: assignmentID)
            let checks = try checks(db, submissionIDs: current.map(\.id))
            let entries = current.map { submission in
                let own = checks[submission.id] ?? []
                return CourseReportPage.Entry(
                    grade: submission.gradeRow, checks: own,
                    seconds: (submission.submission.buildSeconds ?? 0) + own.reduce(0) { $0 + $1.durationSeconds })
            }
            return CourseReportPage(assignment: assignment, entries: entries, groups: groups, link: link).render()
        }
    }
}
