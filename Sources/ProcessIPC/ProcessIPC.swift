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
