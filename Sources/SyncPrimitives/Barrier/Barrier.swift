import TurnstileRuntime

/// A reusable barrier: `parties` threads wait until all of them have arrived, then all go on,
/// and the barrier is ready for the next round.
///
/// Each round (generation) counts arrivals; the last arrival starts a new generation and wakes
/// everybody. A waiter waits for the generation to change rather than for the count, so a
/// fast thread that reaches the next round's `arriveAndWait` before a slow one has woken
/// cannot confuse the two rounds.
///
/// - Guarantees: no thread returns from round `k` before all `parties` threads have arrived
///   in round `k`; every thread returns once they have (no lost wakeup, reusable any number of
///   times). Exactly one thread per round is told it was the last to arrive.
/// - Blocking: `arriveAndWait` sleeps until the round completes.
/// - Memory ordering: everything a thread wrote before arriving is visible to every thread
///   after the round completes (through one runtime `Lock`).
/// - Misuse: if fewer than `parties` threads ever arrive, the others wait forever (the
///   controlled engine reports the deadlock); more than `parties` threads spill into the next
///   round.
public final class Barrier: Sendable {
    /// How many threads each round waits for.
    public let parties: Int
    private let lock: Lock
    private let roundOver: Condition
    private let arrived: Shared<Int>
    private let generation: Shared<Int>

    /// Creates a barrier for `parties` threads (at least 1).
    public init(parties: Int, name: String = "barrier") {
        precondition(parties >= 1, "a barrier needs at least one party")
        self.parties = parties
        lock = Lock(name: "\(name).lock")
        roundOver = Condition(lock: lock, name: "\(name).roundOver")
        arrived = Shared(0, name: "\(name).arrived")
        generation = Shared(0, name: "\(name).generation")
    }

    /// Arrives, and waits until every party has arrived in this round.
    /// - Returns: `true` for exactly one thread per round, the last to arrive.
    @discardableResult
    public func arriveAndWait(file: StaticString = #fileID, line: UInt = #line) -> Bool {
        lock.lock(file: file, line: line)
        defer { lock.unlock(file: file, line: line) }
        let round = generation.load(file: file, line: line)
        let count = arrived.load(file: file, line: line) + 1
        if count == parties {
            arrived.store(0, file: file, line: line)
            generation.store(round + 1, file: file, line: line)
            roundOver.broadcast(file: file, line: line)
            return true
        }
        arrived.store(count, file: file, line: line)
        while generation.load(file: file, line: line) == round {
            roundOver.wait(file: file, line: line)
        }
        return false
    }

    /// Rounds completed so far (a snapshot).
    public var completedRounds: Int { lock.withLock { generation.load() } }
}
