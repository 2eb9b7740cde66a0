#if canImport(Glibc)
import Glibc
#endif

/// Answers "is the other side still alive?" so a blocking wait can fail instead of hanging.
///
/// Blocking operations in this module sleep in slices of about 20 ms and ask their liveness
/// check between slices; when it says the peer is gone they throw ``IPCError/Code/peerVanished``.
public struct PeerLiveness: Sendable {
    private let check: @Sendable () -> Bool

    /// A liveness check from a closure; it must be cheap and thread-safe.
    public init(_ check: @escaping @Sendable () -> Bool) { self.check = check }

    /// Whether the peer is (still) alive.
    public func isAlive() -> Bool { check() }

    /// No check: the peer is assumed alive (rely on EOF or a timeout instead).
    public static let assumed = PeerLiveness { true }

    /// Alive while process `pid` exists and is not a zombie.
    public static func process(_ pid: pid_t) -> PeerLiveness {
        PeerLiveness { processIsAlive(pid) }
    }

    /// Alive while the process that spawned the caller is still its parent (Linux reparents an
    /// orphan to init or a subreaper when the parent dies).
    public static func parent() -> PeerLiveness {
        let original = getppid()
        return PeerLiveness { getppid() == original }
    }

    /// Whether `pid` names a live (running or sleeping, not zombie) process.
    public static func processIsAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        // A dead child stays a zombie until reaped; kill(pid, 0) still succeeds for it.
        return processState(pid).map { $0 != "Z" && $0 != "X" } ?? false
    }

    /// The one-letter state from `/proc/<pid>/stat` (R, S, D, Z, ...), or nil if unreadable.
    static func processState(_ pid: pid_t) -> Character? {
        guard let text = readSmallFile("/proc/\(pid)/stat"),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[close...].dropFirst().first { $0 != " " }
    }
}

/// Reads a small text file (procfs) in one go.
func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 4096)
    let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    return String(decoding: bytes[0..<count], as: UTF8.self)
}
