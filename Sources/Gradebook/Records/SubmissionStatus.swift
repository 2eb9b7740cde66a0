/// How far grading of one submission got.
///
/// Only ``graded`` submissions ran their checks. The others record why not, so a student's
/// feedback and the instructor's export can say so instead of showing a bare zero.
public enum SubmissionStatus: String, Codable, CaseIterable, Sendable {
    /// The workspace built and every check ran (whatever their outcomes).
    case graded
    /// The student's code did not compile.
    case buildFailed
    /// The repository could not be cloned or fetched.
    case fetchFailed
    /// The repository's server refused the grader's credentials (or asked for some and none
    /// were configured): the instructor's setup, not the student's work.
    case authenticationFailed
    /// The repository has no commit at or before the deadline.
    case noCommitBeforeDeadline
    /// The submission broke a rule, for example a student-owned path is a symlink or missing.
    case rejected
    /// The sandbox could not be started; a grader-side problem.
    case sandboxUnavailable
    /// The grader itself failed; a grader-side problem.
    case internalError
    /// A check was stopped by the grader's wall-clock safety net before its schedules ran out,
    /// or the build or the compiler's import listing was stopped twice (a loaded machine, not
    /// the code): no grade yet; the next run grades it again.
    case incomplete

    /// Whether grading this commit again with the same checks would give the same result.
    ///
    /// `true` for ``graded``, ``buildFailed`` and ``rejected``: those depend only on the
    /// commit and the checks. Fetch failures, sandbox problems and internal errors are
    /// the grader's (or the network's) fault and are worth retrying, and
    /// ``noCommitBeforeDeadline`` has no commit to pin. ``GradebookStore/isGraded(studentID:assignmentID:commitID:checksVersion:)``
    /// counts only final submissions as done.
    public var isFinal: Bool {
        switch self {
        case .graded, .buildFailed, .rejected: true
        case .fetchFailed, .authenticationFailed, .noCommitBeforeDeadline, .sandboxUnavailable, .internalError, .incomplete: false
        }
    }

    /// A short phrase a student can read, for example "the build failed".
    public var explanation: String {
        switch self {
        case .graded: "graded"
        case .buildFailed: "the build failed, so no check could run"
        case .fetchFailed: "the repository could not be fetched"
        case .authenticationFailed: "the grader was refused access to the repository (the course's setup, not your work; it will be fetched again)"
        case .noCommitBeforeDeadline: "no commit was found at or before the deadline"
        case .rejected: "the submission was rejected"
        case .sandboxUnavailable: "the grading sandbox was unavailable (a grader problem; it will be regraded)"
        case .internalError: "the grader failed (a grader problem; it will be regraded)"
        case .incomplete: "the grader's time safety net stopped a check or the build before it finished (a grader problem, not your code's; it will be regraded)"
        }
    }
}
