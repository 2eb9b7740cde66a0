import Foundation

/// How a batch is graded.
public struct GradingOptions: Sendable {
    /// The deadline: the last commit at or before it is graded. Nil grades each branch tip.
    public var deadline: Date?
    /// Run checks under bubblewrap (the default). Turning it off runs student code directly on
    /// this machine: only for code you trust.
    public var useSandbox = true
    /// Where mirrors, the build workspace and scratch files live.
    public var cacheDirectory: URL
    /// Grade again even if this commit was already graded with these checks.
    public var regrade = false
    /// Accept commits up to the manifest's `maxDaysLate` after the deadline, with its penalty.
    public var allowLate = false

    public init(deadline: Date?, cacheDirectory: URL, useSandbox: Bool = true, regrade: Bool = false, allowLate: Bool = false) {
        self.deadline = deadline
        self.cacheDirectory = cacheDirectory
        self.useSandbox = useSandbox
        self.regrade = regrade
        self.allowLate = allowLate
    }
}

/// One student's result in a batch, for progress output.
public struct StudentOutcome: Sendable {
    public var studentID: String
    public var name: String
    /// `graded`, `buildFailed`, `fetchFailed`, … (the gradebook's status), or `skipped` when already graded.
    public var status: String
    public var detail: String
    public var score: Double
    public var maxScore: Double
    public var commitID: String?
    /// Seconds spent on this student (fetch, build, checks).
    public var seconds: Double
    /// Seconds of the build alone.
    public var buildSeconds: Double?
    /// Whether this counts as a problem for the batch's exit status.
    public var isProblem: Bool
}

/// A batch's totals.
public struct BatchSummary: Sendable {
    public var outcomes: [StudentOutcome]
    /// Malformed roster lines, skipped.
    public var rosterProblems: [String]
    /// Whether anything needs attention (the CLI's exit status).
    public var hasProblems: Bool { !rosterProblems.isEmpty || outcomes.contains(where: \.isProblem) }
}
