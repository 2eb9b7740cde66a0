/// A misuse of an ``OwnedMutex`` that the mutex caught and refused.
///
/// `caller` is the runtime's identity of the offending thread (`Runtime.currentThreadID`): the
/// logical thread id under the controlled engine, the number `Runtime.spawn` assigned natively
/// (0 for the main thread and for threads the runtime did not start).
public enum MutexOwnershipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `unlock` was called by a thread that does not hold the mutex; the mutex stays locked.
    case notOwner(caller: Int)
    /// `unlock` was called on a mutex that nobody holds.
    case notLocked(caller: Int)
    /// `lock` was called by the thread that already holds the mutex (it is not recursive);
    /// without this check the thread would wait for itself forever.
    case alreadyOwned(caller: Int)

    /// What the thread did wrong and how to fix it, naming the thread.
    public var description: String {
        switch self {
        case .notOwner(let caller):
            "thread \(caller) unlocked a mutex held by another thread: only the thread that locked a mutex may unlock it; use a semaphore to signal between threads"
        case .notLocked(let caller):
            "thread \(caller) unlocked a mutex that nobody holds: every unlock must follow a lock by the same thread"
        case .alreadyOwned(let caller):
            "thread \(caller) locked a mutex it already holds: the mutex is not recursive; unlock it first, or restructure so the inner code runs without taking it again"
        }
    }
}

#if canImport(Foundation)
import Foundation

extension MutexOwnershipError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
#endif
