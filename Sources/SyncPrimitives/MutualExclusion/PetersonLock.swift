import TurnstileRuntime

/// Peterson's algorithm: mutual exclusion for two threads using only loads and stores.
///
/// The course text's "software solution for two processes". Thread `i` raises its flag, then
/// gives the turn away (`turn = other`), and waits while the other thread's flag is up and it
/// is the other's turn:
///
/// ```swift
/// let lock = PetersonLock()
/// lock.withLock(as: 0) { critical() }   // thread 0; the other thread uses index 1
/// ```
///
/// - Guarantees: mutual exclusion; progress (deadlock freedom); bounded waiting with bound 1,
///   and in fact first-come-first-served: once thread `i` has finished its doorway (the two
///   writes), the other thread enters at most once before `i` does, and not at all if it
///   starts its own doorway later.
/// - Blocking: `lock` busy-waits (``SpinBackoff``: spins, then yields). Never sleeps.
/// - Memory ordering: the two doorway stores and the loads that follow them are sequentially
///   consistent. That is essential: with merely releasing stores, x86's store buffer lets a
///   thread read the other's flag before its own flag is visible, and both enter (the
///   controlled engine's TSO simulation shows it). `unlock` is a releasing store; the entry
///   loads are acquiring, so a critical section sees the previous one's writes.
/// - Precondition: exactly two threads, indices 0 and 1, each using only its own index.
public final class PetersonLock: IndexedMutualExclusionLock {
    private let flags: [AtomicBool]
    private let turn: AtomicInt
    private let probe: DoorwayProbe?

    /// Always 2.
    public var threadCapacity: Int { 2 }

    /// Creates an unlocked Peterson lock; `name` prefixes the names in controlled traces.
    public convenience init(name: String = "peterson") {
        self.init(name: name, probe: nil)
    }

    package init(name: String = "peterson", probe: DoorwayProbe?) {
        flags = [AtomicBool(false, name: "\(name).flag[0]"), AtomicBool(false, name: "\(name).flag[1]")]
        turn = AtomicInt(0, name: "\(name).turn")
        self.probe = probe
    }

    /// Enters the critical section as thread `index` (0 or 1), busy-waiting until allowed.
    public func lock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, 2, "PetersonLock", file: file, line: line)
        let other = 1 - index
        probe?.started(index)
        flags[index].store(true, ordering: .sequentiallyConsistent, file: file, line: line)
        turn.store(other, ordering: .sequentiallyConsistent, file: file, line: line)
        probe?.finished(index)
        var backoff = SpinBackoff()
        while flags[other].load(ordering: .sequentiallyConsistent, file: file, line: line)
            && turn.load(ordering: .sequentiallyConsistent, file: file, line: line) == other
        {
            backoff.pause(file: file, line: line)
        }
    }

    /// Leaves the critical section held by thread `index`.
    public func unlock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, 2, "PetersonLock", file: file, line: line)
        flags[index].store(false, ordering: .releasing, file: file, line: line)
    }
}
