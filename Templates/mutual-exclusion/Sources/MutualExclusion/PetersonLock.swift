import TurnstileRuntime

/// Peterson's algorithm: mutual exclusion for two threads, numbered 0 and 1, from atomic loads
/// and stores alone.
///
/// Your task: implement `lock` and `unlock`. Use only `AtomicBool` and `AtomicInt` for shared
/// state, and call `Runtime.spinHint()` in every turn of a wait loop.
public final class PetersonLock: @unchecked Sendable {
    // TODO: the shared state: each thread's "I want in" flag, and whose turn it is.

    /// Creates an unlocked lock.
    public init() {}

    /// Enters the critical section as thread `me` (0 or 1).
    public func lock(_ me: Int) {
        // TODO: announce interest, give the turn away, wait while the other wants in and has the turn.
        fatalError("TODO: implement PetersonLock.lock")
    }

    /// Leaves the critical section as thread `me`.
    public func unlock(_ me: Int) {
        // TODO
        fatalError("TODO: implement PetersonLock.unlock")
    }
}
