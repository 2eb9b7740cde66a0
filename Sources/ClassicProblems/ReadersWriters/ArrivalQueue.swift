import SyncPrimitives

/// The fair policy's line of waiting threads, in arrival order, each with a condition of its
/// own, so that admitting a thread wakes that thread and nobody else.
///
/// Lives inside the ``ReadersWritersLock``'s monitor state and is touched only inside the
/// monitor. Tickets are handed out in arrival order and admitted in the same order, so the
/// admitted tickets are always a prefix: a waiter holding ticket `t` may go once
/// ``admitted`` exceeds `t`.
///
/// - Complexity: O(1) to join; O(waiting threads) to admit the head (the line is at most as
///   long as the number of threads using the lock).
struct ArrivalQueue {
    /// One waiting thread.
    struct Waiter {
        let isWriter: Bool
        /// The runtime identity of the thread, for the lock's probe.
        let thread: Int
        /// Signalled once, when this waiter is admitted.
        let turn: MonitorCondition
    }

    private var line: [Waiter] = []
    private var issued = 0
    /// How many tickets have been admitted; ticket `t` is admitted once this exceeds `t`.
    private(set) var admitted = 0
    /// Conditions of waiters that have gone, kept for the next waiter so a wait allocates
    /// nothing once the lock has warmed up.
    private var spareTurns: [MonitorCondition] = []

    /// Whether nobody waits.
    var isEmpty: Bool { line.isEmpty }

    /// The longest-waiting thread, if any.
    var head: Waiter? { line.first }

    /// Puts a thread at the back of the line and returns its ticket and the condition it
    /// should wait on; `makeTurn` supplies a condition when no spare one is left.
    mutating func join(
        isWriter: Bool, thread: Int, makeTurn: () -> MonitorCondition
    ) -> (ticket: Int, turn: MonitorCondition) {
        let turn = spareTurns.popLast() ?? makeTurn()
        line.append(Waiter(isWriter: isWriter, thread: thread, turn: turn))
        defer { issued += 1 }
        return (issued, turn)
    }

    /// Takes the head out of the line as admitted.
    /// - Precondition: the line is not empty.
    mutating func admitHead() {
        admitted += 1
        line.removeFirst()
    }

    /// Gives back the condition of a waiter that has been admitted and woken; it will not be
    /// signalled again until another waiter takes it.
    mutating func recycle(_ turn: MonitorCondition) {
        spareTurns.append(turn)
    }
}
