import Foundation
import GRDB

/// A row of the `grades` table, mapped through `Codable`: one per submission, holding its
/// scores and any instructor override.
struct StoredGrade: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "grades"

    var submissionID: Int64
    var score: Double
    var maxScore: Double
    var latePenalty: Double
    var overrideScore: Double?
    var overrideReason: String?
    var overrideBy: String?
    var overrideAt: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case score
        case submissionID = "submission_id"
        case maxScore = "max_score"
        case latePenalty = "late_penalty"
        case overrideScore = "override_score"
        case overrideReason = "override_reason"
        case overrideBy = "override_by"
        case overrideAt = "override_at"
    }

    /// The grade of `submission`, stored as submission `submissionID`, with `override` in force.
    init(_ submission: SubmissionRecord, submissionID: Int64, override: GradeOverride?) {
        self.submissionID = submissionID
        score = submission.score
        maxScore = submission.maxScore
        latePenalty = submission.latePenalty
        self.override = override
    }

    /// The override columns as one value: all set, or all `NULL`.
    var override: GradeOverride? {
        get {
            overrideScore.map {
                GradeOverride(score: $0, reason: overrideReason ?? "", by: overrideBy ?? "", at: overrideAt ?? Date())
            }
        }
        set {
            overrideScore = newValue?.score
            overrideReason = newValue?.reason
            overrideBy = newValue?.by
            overrideAt = newValue?.at
        }
    }
}
