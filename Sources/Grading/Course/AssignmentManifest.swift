import Foundation

/// An assignment's manifest (`Assignments/<id>/assignment.json`): which files the student owns,
/// which checks are worth what, the limits, and the known-buggy variants.
public struct AssignmentManifest: Codable, Sendable, Equatable {
    /// One graded check.
    public struct CheckEntry: Codable, Sendable, Equatable {
        public var id: String
        public var points: Double
        /// `public` (students run it with `turnstile test`) or `hidden` (grader only).
        public var visibility: String
    }

    /// Resource limits for each check's process and for the build.
    public struct Limits: Codable, Sendable, Equatable {
        public var cpuSeconds: Int
        public var memoryMiB: Int
        public var wallSeconds: Int
        public var fileSizeMiB: Int
        public var processes: Int
        public var outputKiB: Int
        public var buildSeconds: Int
    }

    /// Late submissions: a commit after the deadline plus grace loses `penaltyPerDay` of the
    /// score per started day; beyond `maxDaysLate` days the grader takes the last commit at or
    /// before the deadline instead.
    public struct LatePolicy: Codable, Sendable, Equatable {
        public var graceMinutes: Int
        public var penaltyPerDay: Double
        public var maxDaysLate: Int
    }

    public var id: String
    public var title: String
    /// Changes whenever the checks change, so a regrade with new checks is told apart.
    public var checksVersion: String
    /// The Swift module the student's files form.
    public var module: String
    /// Paths, relative to the repository root, of the only files taken from a submission.
    public var studentFiles: [String]
    /// Modules a student file may import.
    public var allowedImports: [String]
    public var publicChecks: String
    public var hiddenChecks: String
    public var checks: [CheckEntry]
    public var limits: Limits
    public var latePolicy: LatePolicy
    /// The known-buggy variants, as edits of the solution (`grading/<id>/mutants.json`).
    public var mutantsFile: String
    public var solutionDirectory: String
    public var templateDirectory: String

    /// The total points.
    public var maxScore: Double { checks.reduce(0) { $0 + $1.points } }

    /// Checks that problems a person can fix, returning them as sentences.
    func problems() -> [String] {
        var problems: [String] = []
        if studentFiles.isEmpty { problems.append("studentFiles is empty") }
        for file in studentFiles where file.hasPrefix("/") || file.split(separator: "/").contains("..") || !file.hasPrefix("Sources/\(module)/") {
            problems.append("student file \(file) must be a relative path under Sources/\(module)/")
        }
        let ids = checks.map(\.id)
        if Set(ids).count != ids.count { problems.append("check ids repeat") }
        for check in checks where !["public", "hidden"].contains(check.visibility) {
            problems.append("check \(check.id) has visibility \(check.visibility); use public or hidden")
        }
        if checks.contains(where: { $0.points < 0 }) { problems.append("points must not be negative") }
        return problems
    }
}
