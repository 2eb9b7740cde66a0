import Foundation

/// A graded submission as Gradescope's autograder contract wants `results.json`: the total
/// score, the run time, a summary, and one test per check with its points, status, visibility
/// and the feedback a student reads for it.
///
/// Public checks are `visible`; hidden checks `after_due_date` (their outcome and message are
/// what the student sees in Turnstile's own feedback too; their traces are never included).
/// The top-level `score` is the final score (Gradescope lets it override the tests' sum, which
/// matters when a status such as a rejected submission scores nothing).
public struct GradescopeResults: Encodable, Sendable {
    /// One test of `tests[]`.
    public struct Test: Encodable, Sendable {
        public var name: String
        public var number: String
        public var score: Double
        public var maxScore: Double
        public var status: String
        public var output: String
        public var visibility: String

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, visibility
            case maxScore = "max_score"
        }
    }

    public var score: Double
    public var executionTime: Double
    public var output: String
    public var visibility: String
    public var tests: [Test]

    enum CodingKeys: String, CodingKey {
        case score, output, visibility, tests
        case executionTime = "execution_time"
    }

    /// The results of `detail`, which took `seconds` to grade.
    public init(detail: SubmissionDetail, seconds: Double) {
        let submission = detail.submission
        let text = FeedbackText(detail: detail, includeHiddenTraces: false)
        score = detail.finalScore
        executionTime = (seconds * 10).rounded() / 10
        var summary = "\(detail.assignmentTitle): \(submission.status.explanation)"
        if !submission.statusDetail.isEmpty { summary += "\n\(submission.statusDetail)" }
        output = summary
        visibility = "visible"
        tests = submission.checks.enumerated().map { index, check in
            // The first line of the feedback repeats the title and points Gradescope shows itself.
            let lines = text.describe(check).dropFirst().map { $0.hasPrefix("      ") ? String($0.dropFirst(6)) : $0 }
            return Test(
                name: "\(check.title) (\(check.checkID))", number: "\(index + 1)", score: check.points, maxScore: check.maxPoints,
                status: check.outcome == .passed ? "passed" : "failed", output: lines.joined(separator: "\n"),
                visibility: check.visibility == .public ? "visible" : "after_due_date")
        }
    }

    /// Results saying the grader itself failed (not the student's code): no points, no tests,
    /// and what went wrong, so the course staff know to rerun the submission.
    public init(failure: String, seconds: Double) {
        score = 0
        executionTime = (seconds * 10).rounded() / 10
        output = "The grader could not grade this submission (a problem with the grader, not with your code); your course staff will rerun it.\n\(failure)"
        visibility = "visible"
        tests = []
    }

    /// The JSON Gradescope reads.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
