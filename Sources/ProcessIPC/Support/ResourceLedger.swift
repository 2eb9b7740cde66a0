#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Tracks the operating-system resources ProcessIPC creates inside ``withTracking(_:)``, so tests
/// can prove nothing leaks (names, descriptors, child processes).
///
/// It records identities, not liveness: the check compares them against the operating system
/// (`/dev/shm`, `mq_open`, `/proc/self/fd`, `/proc/<pid>`), so a missing `close`, `unlink` or
/// `waitpid` in the library shows up as a leftover in the system. Outside a tracking scope
/// nothing is recorded (no cost beyond a task-local read).
public enum ResourceLedger {
    private enum Kind { case sharedMemory, semaphore, messageQueue, descriptor, process }
    private struct Entry {
        var kind: Kind
        var identity: String
        var scope: UInt64
    }

    private static let entries = Mutex<[Entry]>([])
    private static let nextScope = Atomic<UInt64>(1)
    @TaskLocal private static var scope: UInt64 = 0

    /// Runs `body` and returns what it created that still exists in the system afterwards:
    /// shm objects and semaphores in `/dev/shm`, queues `mq_open` can still open, descriptors still
    /// open, spawned processes still present (running or zombie). Empty means clean.
    ///
    /// Only resources created by `body`'s own task (and calls it makes) are tracked, so work
    /// running concurrently elsewhere in the process is not blamed.
    public static func withTracking(_ body: () throws -> Void) rethrows -> [String] {
        let id = nextScope.add(1, ordering: .relaxed).newValue
        try $scope.withValue(id) { try body() }
        return leftovers(scope: id)
    }

    private static func record(_ kind: Kind, _ identity: String) {
        let scope = self.scope
        guard scope != 0 else { return }
        entries.withLock { $0.append(Entry(kind: kind, identity: identity, scope: scope)) }
    }

    static func recordSharedMemory(_ name: String) { record(.sharedMemory, name) }
    static func recordSemaphore(_ name: String) { record(.semaphore, name) }
    static func recordMessageQueue(_ name: String) { record(.messageQueue, name) }
    static func recordProcess(_ pid: pid_t) { record(.process, String(pid)) }

    /// Records the identity (`pipe:[123]`, `socket:[456]`, ...) of a descriptor just created.
    static func recordDescriptor(_ fd: Int32) {
        guard scope != 0, let target = descriptorTarget(fd) else { return }
        record(.descriptor, target)
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

    private static func leftovers(scope: UInt64) -> [String] {
        let mine = entries.withLock { all in
            defer { all.removeAll { $0.scope == scope } }
            return all.filter { $0.scope == scope }
        }
        let open = openDescriptorTargets()
        var found: [String] = []
        for entry in mine {
            switch entry.kind {
            case .sharedMemory where access("/dev/shm\(entry.identity)", F_OK) == 0:
                found.append("shared memory \(entry.identity)")
            case .semaphore where access("/dev/shm/sem.\(entry.identity.dropFirst())", F_OK) == 0:
                found.append("semaphore \(entry.identity)")
            case .messageQueue:
                let fd = turnstileMessageQueueProbe(entry.identity)
                if fd >= 0 {
                    close(fd)
                    found.append("message queue \(entry.identity)")
                }
            case .descriptor where open.contains(entry.identity):
                found.append("descriptor \(entry.identity)")
            case .process:
                if let pid = pid_t(entry.identity), let state = PeerLiveness.processState(pid), isChild(pid) {
                    found.append("process \(pid) (state \(state))")
                }
            default:
                break
            }
        }
        return found
    }

    /// Whether `pid` is a child of this process (a zombie of ours, not a recycled pid).
    private static func isChild(_ pid: pid_t) -> Bool {
        guard let text = readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")")
        else { return false }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 && Int32(fields[1]) == getpid()
    }
}
