import TurnstileRuntime

/// Who goes first when readers and writers both want the lock.
public enum Policy: Sendable {
    /// A reader enters whenever no writer is inside, even while writers wait.
    case readerPreference
    /// No reader enters while a writer waits; waiting writers go before waiting readers.
    case writerPreference
    /// Strict arrival order; readers arriving one after another enter together.
    case fair
}

/// A readers-writers lock: many readers at once, or one writer alone, admitted by a policy.
///
/// Your task: read the assignment README first. Build it as a monitor from the runtime's
/// `Lock` and `Condition`, with the shared state in `Shared`.
public final class ReadersWritersLock: @unchecked Sendable {
    // TODO: the lock, the conditions and the shared state you need.

    /// Creates an unlocked lock with `policy`.
    public init(policy: Policy) {
        // TODO
    }

    /// Enters as a reader, waiting while the policy says a reader may not.
    public func lockRead() {
        fatalError("TODO: implement lockRead")
    }

    /// Leaves as a reader.
    public func unlockRead() {
        fatalError("TODO: implement unlockRead")
    }

    /// Enters as the writer, waiting until it can be alone.
    public func lockWrite() {
        fatalError("TODO: implement lockWrite")
    }

    /// Leaves as the writer.
    public func unlockWrite() {
        fatalError("TODO: implement unlockWrite")
    }
}
