import TurnstileRuntime

/// Peterson's algorithm: mutual exclusion for two threads, numbered 0 and 1, from atomic loads
/// and stores alone (course text 4.1).
///
/// A thread raises its flag ("I want in"), then gives the turn away ("but you first"), and waits
/// while the other wants in and it is the other's turn. Whoever wrote `turn` last waits.
///
/// - Guarantees: mutual exclusion, progress (a thread alone never waits), bounded waiting (the
///   other thread enters at most once while this one waits).
/// - Memory ordering: the flag and turn stores and the loads in the wait are sequentially
///   consistent. With release stores an x86 store buffer lets both threads read the other's flag
///   as still false, and both enter.
public final class PetersonLock: @unchecked Sendable {
    // Safety: all shared state is in runtime atomics.
    private let flag = [AtomicBool(false, name: "flag[0]"), AtomicBool(false, name: "flag[1]")]
    private let turn = AtomicInt(0, name: "turn")

    /// Creates an unlocked lock.
    public init() {}

    /// Enters the critical section as thread `me` (0 or 1), spinning while the other is inside or
    /// has priority.
    public func lock(_ me: Int) {
        precondition(me == 0 || me == 1, "Peterson's lock is for threads 0 and 1")
        let other = 1 - me
        flag[me].store(true)
        turn.store(other)
        var spins = 0
        while flag[other].load() && turn.load() == other {
            // Spin briefly, then give the CPU away: the other thread may be descheduled.
            spins += 1
            if spins % 64 == 0 { Runtime.yield() } else { Runtime.spinHint() }
        }
    }

    /// Leaves the critical section as thread `me`.
    public func unlock(_ me: Int) {
        flag[me].store(false, ordering: .releasing)
    }
}
