import TurnstileRuntime

/// Picks uniformly among the enabled choices at every decision.
///
/// Each execution `i` draws from its own generator seeded with
/// `SeededGenerator.executionSeed(base: seed, index: i)`, so any one failing execution can be
/// replayed alone from that execution seed.
public final class RandomStrategy: SchedulingStrategy {
    private let seeding: Seeding
    private var generator = SeededGenerator(seed: 0)
    /// The seed of the execution in progress (what `--replay` takes).
    public private(set) var executionSeed: UInt64 = 0

    /// Explores with seeds derived from `seed`.
    public init(seed: UInt64) { seeding = .exploration(seed) }

    /// Replays exactly one execution seed.
    public init(replaying executionSeed: UInt64) { seeding = .replay(executionSeed) }

    /// Reseeds for execution `index`: its derived seed when exploring, the one seed when replaying.
    public func beginExecution(_ index: Int) {
        executionSeed = seeding.seed(for: index)
        generator = SeededGenerator(seed: executionSeed)
    }

    /// Returns a uniformly random index in `choices`, whatever the decision.
    public func choose(_ choices: [Choice], context: DecisionContext) -> Int {
        generator.below(choices.count)
    }
}

/// How a strategy derives each execution's seed.
enum Seeding {
    case exploration(UInt64)
    case replay(UInt64)

    func seed(for index: Int) -> UInt64 {
        switch self {
        case .exploration(let base): SeededGenerator.executionSeed(base: base, index: index)
        case .replay(let seed): seed
        }
    }
}
