import TurnstileRuntime

/// A reusable barrier for a fixed number of threads, built from your `Semaphore`s alone.
///
/// Your task: nobody leaves `arriveAndWait()` until all `parties` threads have arrived, and
/// the same barrier must work round after round (no thread may slip into the next round).
public final class Barrier: @unchecked Sendable {
    // TODO: the semaphores and the shared count you need.

    /// Creates a barrier for `parties` threads.
    public init(parties: Int) {
        // TODO
    }

    /// Waits until all `parties` threads have called this in the current round.
    public func arriveAndWait() {
        fatalError("TODO: implement Barrier.arriveAndWait")
    }
}
