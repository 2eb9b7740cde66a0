#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Unique POSIX IPC names (`/turnstile-<pid>-<counter>-<purpose>`) for shm, semaphores and queues.
///
/// The pid and a process-wide counter make every name unique per process and per call, so
/// parallel tests and concurrent runs never collide, and leftovers can be traced to their pid.
public enum IPCName {
    private static let counter = Atomic<Int>(0)

    /// A fresh name such as `/turnstile-4242-7-ring`.
    /// - Parameter purpose: a short word (letters, digits, `-`) naming what the object is for.
    public static func unique(_ purpose: String) -> String {
        let next = counter.add(1, ordering: .relaxed).newValue
        return "/\(ProcessIPC.namePrefix)\(getpid())-\(next)-\(purpose)"
    }

    /// The prefix shared by every name this process creates: `turnstile-<pid>-`.
    public static var processPrefix: String { "\(ProcessIPC.namePrefix)\(getpid())-" }

    /// Checks that `name` is a valid POSIX IPC name: a leading `/`, no other `/`, at most 250 bytes.
    static func validate(_ name: String, _ operation: String) throws {
        let utf8 = Array(name.utf8)
        guard utf8.count >= 2, utf8.count <= 250, utf8.first == UInt8(ascii: "/"),
            !utf8.dropFirst().contains(UInt8(ascii: "/"))
        else {
            throw IPCError(
                .invalidArgument, operation,
                detail: "name \"\(name)\" must start with / and contain no other /")
        }
    }
}
