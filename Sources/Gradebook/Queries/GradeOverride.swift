import Foundation

/// A score an instructor set by hand, replacing the computed one.
///
/// An override belongs to a student and an assignment, not to one commit: when the
/// assignment is regraded, the new submission inherits the override (and the audit trail
/// says so) until ``GradebookStore/clearOverride(studentID:assignmentID:by:)`` removes it.
/// The late penalty is not applied on top of an override: the instructor's number is final.
public struct GradeOverride: Codable, Hashable, Sendable {
    /// The score to report instead of the computed one.
    public var score: Double
    /// Why, in words a student or a colleague can read later.
    public var reason: String
    /// Who set it.
    public var by: String
    /// When it was set.
    public var at: Date

    /// Creates an override value.
    ///
    /// - Parameters:
    ///   - score: The score to report instead of the computed one.
    ///   - reason: Why.
    ///   - by: Who set it.
    ///   - at: When it was set.
    public init(score: Double, reason: String, by: String, at: Date) {
        self.score = score
        self.reason = reason
        self.by = by
        self.at = at
    }
}
