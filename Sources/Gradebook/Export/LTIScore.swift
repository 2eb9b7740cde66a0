import Foundation

/// One LTI 1.3 Assignment and Grade Services score, as a tool POSTs it to `{lineitem}/scores`
/// with media type `application/vnd.ims.lis.v1.score+json`; the `lti` export writes one per line.
///
/// `userId` is the platform's user id (the LTI `sub` claim): the roster's `lti_user_id`
/// column, else its `student_id`. `scoreMaximum` is always present (platforms refuse a score
/// without it), and `timestamp` is when the grade was computed, so a platform that already holds
/// a newer score refuses this one rather than going back in time.
struct LTIScore: Encodable {
    var userId: String
    var scoreGiven: Double
    var scoreMaximum: Double
    var comment: String
    var timestamp: String
    var activityProgress: String
    var gradingProgress: String

    init(grade: GradeRow, checks: [CheckResultRecord], userID: String) {
        userId = userID
        scoreGiven = grade.score
        scoreMaximum = grade.maxScore
        comment = GradeSheet.summary(grade, checks)
        timestamp = Self.timestamp(grade.gradedAt)
        activityProgress = "Completed"
        // A grade the grader could not finish (its own fault) is not final.
        gradingProgress = grade.status.isFinal || grade.overridden ? "FullyGraded" : "Pending"
    }

    /// ISO 8601 with milliseconds and an explicit UTC offset, as the AGS examples write it.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func lines(grades: [GradeRow], checks: [Int64: [CheckResultRecord]], users: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try grades.map { grade in
            String(decoding: try encoder.encode(LTIScore(
                grade: grade, checks: checks[grade.submissionID] ?? [], userID: users[grade.studentID] ?? grade.studentID)), as: UTF8.self) + "\n"
        }.joined()
    }
}
