/// One object of the JSON export: a student's current grade on an assignment with every check.
///
/// Keys are snake_case; absent values (no commit, no seed) are written as `null`, never omitted.
struct GradeDocument: Encodable {
    /// One check of the submission.
    struct Check: Encodable {
        var check: String
        var title: String
        var outcome: CheckOutcome
        var points: Double
        var maxPoints: Double
        var seed: String?
        var message: String
        var durationSeconds: Double
        var visibility: CheckVisibility

        enum CodingKeys: String, CodingKey {
            case check, title, outcome, points, seed, message, visibility
            case maxPoints = "max_points"
            case durationSeconds = "duration_seconds"
        }

        init(_ c: CheckResultRecord) {
            check = c.checkID
            title = c.title
            outcome = c.outcome
            points = c.points
            maxPoints = c.maxPoints
            seed = c.seed.map(String.init)
            message = c.message
            durationSeconds = c.durationSeconds
            visibility = c.visibility
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(check, forKey: .check)
            try c.encode(title, forKey: .title)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(points, forKey: .points)
            try c.encode(maxPoints, forKey: .maxPoints)
            try c.encode(seed, forKey: .seed)
            try c.encode(message, forKey: .message)
            try c.encode(durationSeconds, forKey: .durationSeconds)
            try c.encode(visibility, forKey: .visibility)
        }
    }

    var grade: GradeRow
    var checks: [Check]

    enum CodingKeys: String, CodingKey {
        case studentID = "student_id"
        case name, assignment, score
        case maxScore = "max_score"
        case rawScore = "raw_score"
        case latePenalty = "late_penalty"
        case overridden
        case overrideReason = "override_reason"
        case commit, status
        case checksVersion = "checks_version"
        case gradedAt = "graded_at"
        case checks
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(grade.studentID, forKey: .studentID)
        try c.encode(grade.name, forKey: .name)
        try c.encode(grade.assignmentID, forKey: .assignment)
        try c.encode(grade.score, forKey: .score)
        try c.encode(grade.maxScore, forKey: .maxScore)
        try c.encode(grade.rawScore, forKey: .rawScore)
        try c.encode(grade.latePenalty, forKey: .latePenalty)
        try c.encode(grade.overridden, forKey: .overridden)
        try c.encode(grade.override?.reason, forKey: .overrideReason)
        try c.encode(grade.commitID, forKey: .commit)
        try c.encode(grade.status, forKey: .status)
        try c.encode(grade.checksVersion, forKey: .checksVersion)
        try c.encode(DateText.format(grade.gradedAt), forKey: .gradedAt)
        try c.encode(checks, forKey: .checks)
    }
}
