import TurnstileRuntime

/// Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
///
/// Each thread gets a random distinct priority and the highest-priority enabled thread runs;
/// at `depth − 1` random steps the running thread's priority drops below every other. A bug of
/// depth `d` among `n` threads and `k` steps is found with probability at least `1/(n·k^(d−1))`
/// per execution. Two adaptations: a thread that yields or spins is demoted to the lowest
/// priority (PCT assumes no busy-waiting, and would otherwise starve the thread it waits for),
/// and `k` is never learnt from earlier executions, so one execution seed alone replays an
/// execution: either the caller fixes it, or (no `k` up front) each execution draws it from its
/// own seed among the powers of two ``scaleFreeSteps`` — a bug of depth `d` in the first `K`
/// steps is then found with probability at least `1/(13·n·k*^(d−1))` per execution, `k*` the
/// smallest of those powers ≥ `K`: a constant factor for not knowing `k`.
public final class PCTStrategy: SchedulingStrategy {
    private let seeding: Seeding
    private let depth: Int
    private var generator = SeededGenerator(seed: 0)
    private var priorities: [Int: Double] = [:]
    private var changePoints: [Int] = []
    private var changesTaken = 0
    /// `k`, or nil to draw it for each execution from ``scaleFreeSteps``.
    private let estimatedSteps: Int?
    private var stepsThisExecution = 0
    private var lowest = 0.0
    /// The seed of the execution in progress.
    public private(set) var executionSeed: UInt64 = 0

    /// Explores with bug depth `depth` (≥ 1), `estimatedSteps` scheduling steps per execution
    /// (PCT's `k`), and seeds derived from `seed`.
    /// (PCT's `k`; nil: drawn per execution from ``scaleFreeSteps``), and seeds derived from `seed`.
    public init(seed: UInt64, depth: Int = 3, estimatedSteps: Int? = 200) {
        seeding = .exploration(seed)
        self.depth = max(1, depth)
        self.estimatedSteps = estimatedSteps.map { max(1, $0) }
    }

    /// Replays one execution seed with the exploration's `depth` and `estimatedSteps`.
    public init(replaying executionSeed: UInt64, depth: Int = 3, estimatedSteps: Int? = 200) {
        seeding = .replay(executionSeed)
        self.depth = max(1, depth)
        self.estimatedSteps = estimatedSteps.map { max(1, $0) }
    }

    /// The values `k` takes when none is given: 16, 32, …, 65,536 (13 powers of two).
    public static let scaleFreeSteps = (4...16).map { 1 << $0 }

    /// The `k` an execution with this seed uses when none is given.
    public static func scaleFreeSteps(for executionSeed: UInt64) -> Int {
        // The seed's top bits: the generator's own stream starts from a mix of all of them.
        scaleFreeSteps[Int((executionSeed >> 32) % UInt64(scaleFreeSteps.count))]
    }

    /// Reseeds for execution `index`, forgets thread priorities and draws the `depth − 1`
    /// priority change points among the first `k` scheduling steps.
    public func beginExecution(_ index: Int) {
        stepsThisExecution = 0
        executionSeed = seeding.seed(for: index)
        generator = SeededGenerator(seed: executionSeed)
        priorities = [:]
        changesTaken = 0
        lowest = 0
        let steps = estimatedSteps ?? Self.scaleFreeSteps(for: executionSeed)
        changePoints = (0..<(depth - 1)).map { _ in 1 + generator.below(steps) }.sorted()
    }

    /// Gives thread `id` a random priority above every change-point priority.
    public func threadCreated(_ id: Int) {
        // Priorities above `depth` so that change points (which assign 1..<depth) demote.
        priorities[id] = Double(depth) + Double(generator.below(1 << 20)) / Double(1 << 20) * 1000
    }

    /// Picks the next step.
    ///
    /// Wake-one and spurious-wakeup decisions are uniform. A scheduling decision first demotes
    /// a yielding thread to the lowest priority and applies any change point reached; then, when
    /// store buffers can flush (TSO), it flushes a random one with probability ½; otherwise it
    /// runs the enabled thread of highest priority.
    public func choose(_ choices: [Choice], context: DecisionContext) -> Int {
        guard context.kind == .schedule else { return generator.below(choices.count) }
        stepsThisExecution += 1
        if context.yielding {
            lowest -= 1
            priorities[context.current] = lowest
        }
        while changesTaken < changePoints.count, changePoints[changesTaken] <= stepsThisExecution {
            changesTaken += 1
            priorities[context.current] = Double(depth - changesTaken)
        }
        let flushes = choices.indices.filter { if case .flush = choices[$0] { true } else { false } }
        if !flushes.isEmpty, generator.below(2) == 0 {
            return flushes[generator.below(flushes.count)]
        }
        var best = -1
        var bestPriority = -Double.infinity
        for (index, choice) in choices.enumerated() {
            guard case .run(let id) = choice else { continue }
            let priority = priorities[id] ?? 0
            if priority > bestPriority {
                best = index
                bestPriority = priority
            }
        }
        return best >= 0 ? best : generator.below(choices.count)
    }
}
