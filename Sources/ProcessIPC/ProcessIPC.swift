/// Shared memory and message passing between real processes.
///
/// The course text contrasts *shared memory* ("high-speed, needs explicit synchronization") with
/// *message passing* ("kernel-mediated, simpler, higher overhead"). This module builds both between
/// separate processes so the claim can be measured:
///
/// - ``SharedMemoryRegion``: a POSIX shared memory object (`shm_open` + `mmap`).
/// - ``NamedSemaphore`` and ``SharedMutex``: cross-process synchronization, by name or in the region.
/// - ``SharedRingBuffer`` and ``MultiProducerRing``: bounded message rings inside a region that
///   block (futex) when empty or full.
/// - ``MessageChannel``: pipes, Unix domain sockets and POSIX message queues behind one protocol,
///   plus ``SharedMemoryChannel`` (two rings) so all are measured alike.
/// - ``PeerProcess`` and ``PeerMain``: spawn and supervise the peer process with `posix_spawn`.
/// - ``CovertChannelDemo``: storage and timing covert channels, their capacity and a mitigation.
/// - ``IPCComparison``: round-trip and throughput of every mechanism, for the CLI and benchmarks.
public enum ProcessIPC {
    /// The prefix of every POSIX IPC name this module creates (`/turnstile-<pid>-<n>-<purpose>`).
    public static let namePrefix = "turnstile-"
}

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPC {
    /// Removes shared memory objects and semaphores in `/dev/shm` left by ProcessIPC processes
    /// that no longer exist (names carry the creator's pid). A process killed by a signal cannot
    /// unlink its named objects; channels avoid that by unlinking at once, named regions cannot.
    /// - Returns: the names removed.
    @discardableResult
    public static func removeStaleObjects() -> [String] {
        guard let directory = opendir("/dev/shm") else { return [] }
        defer { closedir(directory) }
        var removed: [String] = []
        while let entry = readdir(directory) {
            let file = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let isSemaphore = file.hasPrefix("sem." + namePrefix)
            let name = isSemaphore ? String(file.dropFirst(4)) : file
            guard name.hasPrefix(namePrefix),
                let pid = pid_t(name.dropFirst(namePrefix.count).prefix { $0.isNumber }),
                kill(pid, 0) != 0 && errno == ESRCH
            else { continue }
            if isSemaphore ? sem_unlink("/" + name) == 0 : shm_unlink("/" + name) == 0 { removed.append(file) }
        }
        return removed
    }
}
