#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A record of every operating-system resource this process's ProcessIPC objects created,
/// so tests can prove that nothing leaks (names, descriptors, child processes).
///
/// It records identities, not liveness: a leak check compares the record against the operating
/// system (`/dev/shm`, `mq_open`, `/proc/self/fd`, `/proc/<pid>`), so a missing `close` or
/// `unlink` in the library shows up as a leftover in the system, not as a ledger mismatch.
public enum ResourceLedger {
    /// What ProcessIPC created, in creation order.
    public struct Snapshot: Sendable, Equatable {
        /// Names passed to `shm_open(O_CREAT)`.
        public var sharedMemoryNames: [String] = []
        /// Names passed to `sem_open(O_CREAT)`.
        public var semaphoreNames: [String] = []
        /// Names passed to `mq_open(O_CREAT)`.
        public var messageQueueNames: [String] = []
        /// `/proc/self/fd` link targets (`pipe:[123]`, `socket:[456]`, ...) of created descriptors.
        public var descriptorTargets: [String] = []
        /// Process ids of spawned peers.
        public var spawnedProcesses: [pid_t] = []
    }

    private static let state = Mutex(Snapshot())

    /// Everything recorded so far.
    public static func snapshot() -> Snapshot { state.withLock { $0 } }

    static func recordSharedMemory(_ name: String) { state.withLock { $0.sharedMemoryNames.append(name) } }
    static func recordSemaphore(_ name: String) { state.withLock { $0.semaphoreNames.append(name) } }
    static func recordMessageQueue(_ name: String) { state.withLock { $0.messageQueueNames.append(name) } }
    static func recordProcess(_ pid: pid_t) { state.withLock { $0.spawnedProcesses.append(pid) } }

    /// Records the identity of a descriptor the library just created.
    static func recordDescriptor(_ fd: Int32) {
        guard let target = descriptorTarget(fd) else { return }
        state.withLock { $0.descriptorTargets.append(target) }
    }

    /// The `/proc/self/fd/<fd>` link target of `fd`, such as `pipe:[1234]`.
    public static func descriptorTarget(_ fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The link targets of every descriptor open in this process right now.
    public static func openDescriptorTargets() -> Set<String> {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var targets = Set<String>()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), let target = descriptorTarget(fd) { targets.insert(target) }
        }
        return targets
    }

    /// Describes every resource recorded after `earlier` that still exists in the system:
    /// shm objects and semaphores in `/dev/shm`, queues `mq_open` can still open, descriptors
    /// still open, and spawned processes that still exist (running or zombie). Empty means clean.
    public static func leftovers(since earlier: Snapshot) -> [String] {
        let now = snapshot()
        var found: [String] = []
        for name in now.sharedMemoryNames.dropFirst(earlier.sharedMemoryNames.count)
        where access("/dev/shm\(name)", F_OK) == 0 {
            found.append("shared memory \(name)")
        }
        for name in now.semaphoreNames.dropFirst(earlier.semaphoreNames.count)
        where access("/dev/shm/sem.\(name.dropFirst())", F_OK) == 0 {
            found.append("semaphore \(name)")
        }
        for name in now.messageQueueNames.dropFirst(earlier.messageQueueNames.count) {
            let fd = turnstileMessageQueueProbe(name)
            if fd >= 0 {
                close(fd)
                found.append("message queue \(name)")
            }
        }
        let open = openDescriptorTargets()
        for target in now.descriptorTargets.dropFirst(earlier.descriptorTargets.count)
        where open.contains(target) {
            found.append("descriptor \(target)")
        }
        for pid in now.spawnedProcesses.dropFirst(earlier.spawnedProcesses.count)
        where PeerLiveness.processState(pid) != nil && isChild(pid) {
            found.append("process \(pid) (state \(PeerLiveness.processState(pid) ?? "?"))")
        }
        return found
    }

    /// Whether `pid` is a child of this process (so a zombie of ours, not a recycled pid).
    private static func isChild(_ pid: pid_t) -> Bool {
        guard let text = readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")")
        else { return false }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 && Int32(fields[1]) == getpid()
    }
}
