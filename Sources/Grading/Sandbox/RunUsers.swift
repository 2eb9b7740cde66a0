import Foundation

/// User ids lent to sandboxed runs one at a time, so runs that overlap never share a per-user
/// limit (`RLIMIT_NPROC` counts every process and thread of a user, whichever sandbox it is in).
///
/// The ids need no account: the sandbox switches to them numerically, and they own nothing on
/// the host but the scratch directories handed to their run. Each grader process takes its
/// own block of ``slots`` ids, placed by its pid (two graders on one machine get different
/// blocks unless their pids are equal modulo 50,000). Thread-safe; ``acquire()`` never blocks:
/// past ``slots`` runs at once, ids are shared again, as with one fixed user.
public final class RunUsers: @unchecked Sendable {
    // Safety: `inUse` and `next` are guarded by `lock`.
    /// The lender for this process.
    public static let shared = RunUsers(base: 1_000_000 + UInt32(getpid() % 50_000) * 64)

    /// Ids per process.
    public static let slots: UInt32 = 64
    /// The first id of this process's block.
    public let base: UInt32
    private let lock = NSLock()
    private var inUse: Set<UInt32> = []
    private var next: UInt32 = 0

    init(base: UInt32) {
        self.base = base
    }

    /// An id no other run of this process holds now.
    public func acquire() -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        for offset in 0..<Self.slots {
            let candidate = base + (next + offset) % Self.slots
            if !inUse.contains(candidate) {
                inUse.insert(candidate)
                next = (next + offset + 1) % Self.slots
                return candidate
            }
        }
        return base
    }

    /// Gives `id` back.
    public func release(_ id: UInt32) {
        lock.lock()
        inUse.remove(id)
        lock.unlock()
    }
}
