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
    /// How much one fetch may take (bytes, seconds).
    public var fetchLimits = FetchLimits()
    /// What to offer servers of private repositories (the CLI reads them from the environment).
    public var credentials = FetchCredentials.none
    /// How many students are graded at once, each by its own worker with its own build
    /// workspace (default 1). Scores do not depend on it: scored checks run under the
    /// controlled engine, bounded by schedules and steps, and real-thread checks carry no points.
    public var jobs = 1

    /// Creates options.
    /// - Parameters:
    ///   - deadline: The deadline; nil grades each branch tip.
    ///   - cacheDirectory: Where mirrors, the workspace and scratch files live.
    ///   - useSandbox: Whether checks run under bubblewrap (default true).
    ///   - regrade: Whether already-graded commits are graded again (default false).
    ///   - allowLate: Whether commits after the deadline are accepted under the manifest's late
    ///     policy (default false).
    public init(deadline: Date?, cacheDirectory: URL, useSandbox: Bool = true, regrade: Bool = false, allowLate: Bool = false) {
        self.deadline = deadline
        self.cacheDirectory = cacheDirectory
        self.useSandbox = useSandbox
        self.regrade = regrade
        self.allowLate = allowLate
    }
}

/// One student's result in a batch, for progress output.
public struct StudentOutcome: Sendable, Codable {
    /// The student's id from the roster.
    public var studentID: String
    /// The student's name from the roster.
    public var name: String
    /// The gradebook's status for the submission, or `skipped` when already graded.
    public var status: OutcomeStatus
    /// Why the status is what it is (a build error, a fetch failure), in sentences; empty when
    /// graded normally.
    public var detail: String
    /// Points after the late penalty, never below 0; 0 for a skipped student.
    public var score: Double
    /// The assignment's total points.
    public var maxScore: Double
    /// The commit graded (or skipped as already graded); nil when none was chosen.
    public var commitID: String?
    /// Seconds spent on this student (fetch, build, checks).
    public var seconds: Double
    /// Seconds of the build alone.
    public var buildSeconds: Double?
    /// Whether this counts as a problem for the batch's exit status.
    public var isProblem: Bool
    /// Unscored checks (real-thread runs) that failed: evidence of a bug the scored, controlled
    /// checks did not reproduce, for the instructor to look at. Never changes the score.
    public var toReview: [String] = []
    /// The checks version this run graded with.
    public var checksVersion = ""
    /// The grade this student had before this run, when it replaced one (a regrade).
    public var previous: PreviousGrade?

    /// Creates an outcome (the pipeline makes them; public for tools and tests).
    public init(
        studentID: String, name: String, status: OutcomeStatus, detail: String, score: Double, maxScore: Double,
        commitID: String?, seconds: Double, buildSeconds: Double?, isProblem: Bool, toReview: [String] = [],
        checksVersion: String = "", previous: PreviousGrade? = nil
    ) {
        self.studentID = studentID
        self.name = name
        self.status = status
        self.detail = detail
        self.score = score
        self.maxScore = maxScore
        self.commitID = commitID
        self.seconds = seconds
        self.buildSeconds = buildSeconds
        self.isProblem = isProblem
        self.toReview = toReview
        self.checksVersion = checksVersion
        self.previous = previous
    }
}

/// A student's grade before a regrade, to say what changed.
public struct PreviousGrade: Sendable, Codable, Hashable {
    /// The final score then.
    public var score: Double
    /// The commit graded then.
    public var commitID: String?
    /// The checks version then.
    public var checksVersion: String

    /// Creates a record of the grade before.
    public init(score: Double, commitID: String?, checksVersion: String) {
        self.score = score
        self.commitID = commitID
        self.checksVersion = checksVersion
    }
}

/// A batch's totals.
public struct BatchSummary: Sendable {
    /// Each roster entry's outcome, in roster order.
    public var outcomes: [StudentOutcome]
    /// Malformed roster lines, skipped.
    public var rosterProblems: [String]
    /// Whether anything needs attention (the CLI's exit status).
    public var hasProblems: Bool { !rosterProblems.isEmpty || outcomes.contains(where: \.isProblem) }
}
