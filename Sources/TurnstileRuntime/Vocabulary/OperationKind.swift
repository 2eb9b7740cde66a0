/// The kinds of runtime operation, as they appear in a controlled-engine trace.
public enum OperationKind: String, Sendable, Codable, CaseIterable {
    case start, finish, spawn, join
    case load, store, readModifyWrite = "rmw", fence, flush
    case lock, tryLock, unlock, blocked
    case wait, wake, spuriousWakeup = "spurious-wakeup", signal, broadcast
    case yield, spinHint = "spin"
    case check
    /// A check waited until every other thread was asleep or done.
    case quiescence
}
