import TurnstileRuntime

/// One run of the code under test: what to do, and how to judge the end state.
public struct Scenario {
    /// The body; under the controlled engine it runs as logical thread 0.
    public var run: () -> Void
    /// Called after the run ends without a failure, with its report (blocked threads, trace).
    /// Returns a failure message, or nil if the end state is right.
    public var verify: (ExecutionReport) -> String?

    /// Creates a scenario.
    /// - Parameters:
    ///   - run: The body.
    ///   - verify: Judges the end state: a failure message, or nil if right (default: always right).
    public init(run: @escaping () -> Void, verify: @escaping (ExecutionReport) -> String? = { _ in nil }) {
        self.run = run
        self.verify = verify
    }
}

/// How a check runs its scenario.
public enum CheckMode: Sendable {
    /// Under the controlled engine, explored per the plan: deterministic, replayable.
    case controlled(ExplorationPlan)
    /// On real threads, `iterations` times (`longIterations` when `TURNSTILE_LONG_TESTS=1`).
    /// A deadlock shows as a timeout of the check's process.
    case native(iterations: Int, longIterations: Int)
    /// The grader's trusted peer of a process assignment: the scenario runs once, in the peer's
    /// own process, against the student's program in another sandbox, and the peer alone judges.
    /// Its waits are bounded by what the student's program does as the kernel sees it
    /// (``CheckDefinition/peer(_:_:explanation:points:property:_:_:)``), not by the machine's speed.
    case peer

    /// `controlled`, `native` or `peer`, as the harness announces it to the grader.
    public var engineName: String {
        switch self {
        case .controlled: "controlled"
        case .native: "native"
        case .peer: "peer"
        }
    }
}

/// A named check with its points, as the assignment manifest refers to it by `id`.
public struct CheckDefinition: Sendable {
    /// Stable identifier (`no-lost-items`), used by the manifest and the gradebook.
    public var id: String
    /// One line for people.
    public var title: String
    /// What the check exercises and what a failure usually means; shown with a failure.
    public var explanation: String
    /// How it runs.
    public var mode: CheckMode
    /// Makes a fresh scenario for each execution.
    public var makeScenario: @Sendable () -> Scenario
    /// Points and visibility declared beside the check's code (``CheckCase``), which the
    /// manifest must match; nil for checks declared only in the manifest.
    public var declaration: CheckDeclaration?

    /// Creates a check.
    /// - Parameters:
    ///   - id: Stable identifier, as the manifest and gradebook name it.
    ///   - title: One line for people.
    ///   - explanation: What the check exercises and what a failure usually means.
    ///   - mode: Controlled (explored) or native (real threads).
    ///   - makeScenario: Makes a fresh scenario; called once per execution or iteration.
    public init(
        id: String, title: String, explanation: String, mode: CheckMode,
        makeScenario: @escaping @Sendable () -> Scenario
    ) {
        self.id = id
        self.title = title
        self.explanation = explanation
        self.mode = mode
        self.makeScenario = makeScenario
    }
}
