import TurnstileRuntime

/// Which scheduling strategy an exploration uses.
public enum StrategyKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Uniform random choice at every decision.
    case random
    /// PCT with bug depth `depth` and `steps` expected scheduling steps per execution.
    case pct(depth: Int, steps: Int)
    /// PCT with bug depth `depth` and no `k` up front: each execution draws its `k` from its
    /// own seed among 16, 32, …, 65,536 (``PCTStrategy/scaleFreeSteps``), so the seed alone
    /// still replays it.
    case pctAnyLength(depth: Int)
    /// Depth-first search of every schedule with at most `preemptions` preemptions.
    case exhaustive(preemptions: Int)
    /// Every schedule up to the reordering of independent steps, with no preemption bound:
    /// dynamic partial-order reduction (``DPORStrategy``). Sequential consistency only.
    case dpor
    /// Every schedule with no preemption (or delay), then every one with exactly one, up to
    /// `maximum`: iterative preemption or delay bounding (``IterativeBoundingStrategy``).
    case iterativeBounding(measure: IterativeBoundingStrategy.Measure, maximum: Int)

    /// A strategy instance for an exploration seeded with `seed`.
    func makeStrategy(seed: UInt64) -> any SchedulingStrategy {
        switch self {
        case .random: RandomStrategy(seed: seed)
        case .pct(let depth, let steps): PCTStrategy(seed: seed, depth: depth, estimatedSteps: steps)
        case .pctAnyLength(let depth): PCTStrategy(seed: seed, depth: depth, estimatedSteps: nil)
        case .exhaustive(let bound): ExhaustiveStrategy(preemptionBound: bound)
        case .dpor: DPORStrategy()
        case .iterativeBounding(let measure, let maximum): IterativeBoundingStrategy(measure: measure, maximumBound: maximum)
        }
    }

    /// A strategy that replays the one execution with seed `executionSeed`.
    func makeReplay(executionSeed: UInt64) -> any SchedulingStrategy {
        switch self {
        case .random, .exhaustive, .dpor, .iterativeBounding: RandomStrategy(replaying: executionSeed)
        case .pct(let depth, let steps): PCTStrategy(replaying: executionSeed, depth: depth, estimatedSteps: steps)
        case .pctAnyLength(let depth): PCTStrategy(replaying: executionSeed, depth: depth, estimatedSteps: nil)
        }
    }

    /// Whether one execution can be replayed from its seed alone.
    public var isReplayable: Bool {
        switch self {
        case .exhaustive, .dpor, .iterativeBounding: false
        case .random, .pct, .pctAnyLength: true
        }
    }

    /// Whether the strategy is a systematic search that can complete (run every schedule in
    /// its scope) rather than a sampler.
    public var isSystematic: Bool { !isReplayable }

    /// The strategy as a check record names it: `random`, `pct(depth 3, k 200)`,
    /// `exhaustive(preemptions ≤ 2)`, `iterative delay bounding(≤ 3)`.
    public var description: String {
        switch self {
        case .random: "random"
        case .pct(let depth, let steps): "pct(depth \(depth), k \(steps))"
        case .pctAnyLength(let depth): "pct(depth \(depth), k 16…65536 by seed)"
        case .exhaustive(let bound): "exhaustive(preemptions ≤ \(bound))"
        case .dpor: "exhaustive(partial-order reduction)"
        case .iterativeBounding(let measure, let maximum): "iterative \(measure == .preemptions ? "preemption" : "delay") bounding(≤ \(maximum))"
        }
    }
}
