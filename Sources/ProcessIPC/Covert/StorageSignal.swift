#if canImport(Glibc)
import Glibc
#endif

/// The storage channel's medium: the lock state of a shared file.
///
/// The sender's ``set(_:)`` takes (1) or drops (0) an exclusive `flock`; the receiver's
/// ``probe()`` asks for a shared lock without blocking and reads "would block" as 1. Each side
/// opens the file itself, so the locks conflict as between processes.
public final class StorageSignal {
    private var fd: Int32
    private var holding = false

    /// Opens (creating if needed) the lock file at `path`.
    /// - Throws: ``IPCError`` `.systemCall`.
    public init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IPCError.system("open lock file \(path)") }
        ResourceLedger.recordDescriptor(fd)
    }

    /// Sender: hold the exclusive lock for `true`, release it for `false`.
    public func set(_ bit: Bool) {
        guard bit != holding else { return }
        holding = bit
        _ = flock(fd, bit ? LOCK_EX : LOCK_UN)
    }

    /// Receiver: whether someone holds an exclusive lock right now (the bit read).
    public func probe() -> Bool {
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Releases the lock and the file. Safe to call twice.
    public func close() { FileDescriptorIO.closeOnce(&fd) }

    deinit { close() }
}
