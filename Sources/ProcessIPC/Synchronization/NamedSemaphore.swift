import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// A named POSIX counting semaphore (`sem_open`), shared by any process that knows the name.
///
/// - Blocking: ``wait(timeout:)`` blocks while the value is zero, for at most the timeout
///   (CLOCK_MONOTONIC, via `sem_clockwait`); ``tryWait()`` never blocks.
/// - Fairness: none guaranteed; the kernel futex wakes waiters roughly in arrival order.
/// - Memory ordering: a `post` happens-before the `wait` it satisfies (acquire/release).
///
/// The creator unlinks the name when released (unless ``unlinkOnRelease`` is cleared), so
/// nothing is left in `/dev/shm` (`sem.<name>`).
public final class NamedSemaphore {
    /// The POSIX name, such as `/turnstile-12-3-sem`.
    public let name: String
    /// Whether releasing this object unlinks ``name`` (true for the creator).
    public var unlinkOnRelease: Bool
    private let handle: UnsafeMutablePointer<sem_t>

    private init(name: String, handle: UnsafeMutablePointer<sem_t>, owner: Bool) {
        self.name = name
        self.handle = handle
        self.unlinkOnRelease = owner
    }

    /// Creates a new named semaphore with an initial value.
    /// - Throws: ``IPCError`` `.alreadyExists` if the name is taken, or `.systemCall`.
    public static func create(name: String, value: UInt32 = 0) throws -> NamedSemaphore {
        try IPCName.validate(name, "sem_open \(name)")
        guard let handle = turnstile_sem_open(name, O_CREAT | O_EXCL, 0o600, value) else {
            throw IPCError.system("sem_open \(name)")
        }
        ResourceLedger.recordSemaphore(name)
        return NamedSemaphore(name: name, handle: handle, owner: true)
    }

    /// Opens an existing named semaphore.
    /// - Throws: ``IPCError`` `.notFound` or `.systemCall`.
    public static func open(name: String) throws -> NamedSemaphore {
        try IPCName.validate(name, "sem_open \(name)")
        guard let handle = turnstile_sem_open(name, 0, 0, 0) else { throw IPCError.system("sem_open \(name)") }
        return NamedSemaphore(name: name, handle: handle, owner: false)
    }

    /// Increments the value, waking one waiter if any. Never blocks.
    /// - Throws: ``IPCError`` `.systemCall` (EOVERFLOW at the maximum value).
    public func post() throws {
        guard sem_post(handle) == 0 else { throw IPCError.system("sem_post \(name)") }
    }

    /// Decrements the value, blocking while it is zero.
    /// - Parameter timeout: the longest wait; nil waits without limit.
    /// - Throws: ``IPCError`` `.timedOut`, or `.systemCall`.
    public func wait(timeout: Duration? = nil) throws {
        let deadline = Deadline(after: timeout)
        while true {
            let nanoseconds = timeout == nil ? Int64.max / 2 : deadline.remaining(cappedAt: .max)
            if turnstile_sem_wait_ns(handle, nanoseconds) == 0 { return }
            if errno == EINTR { continue }
            throw IPCError.system("sem_wait \(name)")
        }
    }

    /// Decrements the value if it is positive; never blocks.
    /// - Returns: whether the value was decremented.
    public func tryWait() -> Bool { sem_trywait(handle) == 0 }

    /// The current value (a snapshot that may change immediately).
    public var value: Int32 {
        var value: Int32 = 0
        sem_getvalue(handle, &value)
        return value
    }

    /// Removes the name now; processes that opened it keep using it. Safe to call twice.
    /// - Throws: ``IPCError`` if the name exists but cannot be removed.
    public func unlink() throws {
        unlinkOnRelease = false
        if sem_unlink(name) != 0 && errno != ENOENT { throw IPCError.system("sem_unlink \(name)") }
    }

    /// Removes `name` if it exists; for cleanup after a crashed run. Returns whether it existed.
    @discardableResult
    public static func unlink(name: String) -> Bool { sem_unlink(name) == 0 }

    deinit {
        sem_close(handle)
        if unlinkOnRelease { sem_unlink(name) }
    }
}
