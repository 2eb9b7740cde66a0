import CheckKit
import TurnstileRuntime

/// A known concurrency bug as a small program on the runtime, with its correct twin: the
/// controlled engine's regression corpus, and the course's gallery of classic mistakes.
public struct CorpusCase: Sendable {
    /// Short identifier (`peterson-no-fence`).
    public var id: String
    /// What the bug is.
    public var summary: String
    /// The failure kind the engine must report for the buggy program.
    public var expectedKind: ExecutionFailure.Kind
    /// Another kind that is an equally right diagnosis (a lost item also shows as a consumer
    /// spinning forever), if any.
    public var alsoAccepted: ExecutionFailure.Kind? = nil

    /// Whether `kind` is a right diagnosis of this bug.
    public func accepts(_ kind: ExecutionFailure.Kind) -> Bool { kind == expectedKind || kind == alsoAccepted }
    /// How to explore it (strategy, options such as TSO).
    public var plan: ExplorationPlan
    /// The buggy program.
    public var buggy: @Sendable () -> Scenario
    /// The corrected program, which must pass every schedule.
    public var correct: @Sendable () -> Scenario
}

/// Counts threads inside a critical section, for mutual-exclusion checks. Under the controlled
/// engine only one logical thread runs at a time, so a plain counter is exact.
final class OccupancyCounter: @unchecked Sendable {
    // Safety: used only under the controlled engine (one logical thread at a time).
    // Boxes, so a partial-order reduction sees the threads share them.
    private let occupancy = ControlledBox(0)
    private let entryCount = ControlledBox(0)
    var inside: Int { occupancy.value }
    var entries: Int { entryCount.value }
    /// Data the critical section works on; touching it is a scheduling point, so another thread
    /// can run while one is inside.
    private let data = Shared(0, name: "critical data")

    /// Enters, touches the shared data, and leaves, checking that nobody else is inside.
    func criticalSection(_ name: String) {
        occupancy.value += 1
        entryCount.value += 1
        require(inside == 1, "mutual exclusion violated: \(inside) threads are in the critical section (\(name) entered while another was inside)")
        data.store(data.load() + 1)
        require(inside == 1, "mutual exclusion violated: \(inside) threads are in the critical section (another thread entered while \(name) was inside)")
        occupancy.value -= 1
    }
}
