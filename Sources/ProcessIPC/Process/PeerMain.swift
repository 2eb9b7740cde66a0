#if canImport(Glibc)
import Glibc
#endif

/// The peer side of every two-process example, test and benchmark: one function that runs a
/// named role, called by the `turnstile-ipc-peer` helper (or by a host executable that
/// self-hosts the roles through ``runIfRequested(_:)``).
///
/// Roles (`ENDPOINT` is a ``ChannelPair/peerArgument(firstDescriptor:)``):
///
/// | role | arguments | does |
/// |---|---|---|
/// | `echo` | ENDPOINT | sends back every message until the channel closes |
/// | `sink` | ENDPOINT | receives messages; an empty one asks for the byte total so far (8 bytes) |
/// | `echo-then-die` | ENDPOINT N | echoes N messages, then kills itself with SIGKILL |
/// | `relay` | ENDPOINT ENDPOINT [FLIP] | forwards messages between two channels both ways until both close; FLIP tampers with one |
/// | `exit` | CODE | exits with CODE |
/// | `sleep` | SECONDS [ignore-term] | sleeps (optionally ignoring SIGTERM) |
/// | `shm-fill` | NAME BYTE | opens shared memory NAME and fills it with BYTE |
/// | `sem-post` | NAME TIMES | posts named semaphore NAME TIMES times |
/// | `mutex-die` | | locks the ``SharedMutex`` at 0 in region fd 3, then dies holding it |
/// | `ring-produce` | OFFSET COUNT SIZE | sends COUNT messages of SIZE bytes on the ring at OFFSET in region fd 3 |
/// | `ring-die` | OFFSET | attaches as producer to the ring at OFFSET in region fd 3, then dies |
/// | `mp-produce` | ID COUNT | sends COUNT messages `[ID, seq…]` on the ``MultiProducerRing`` in region fd 3 |
/// | `covert-storage-send`, `covert-timing-send`, `covert-jam` | see ``CovertChannelDemo`` | covert channel sides |
///
/// Exit codes: 0 success, 2 bad arguments, 3 an ``IPCError`` (printed to standard error).
public enum PeerMain {
    /// The first argument that makes ``runIfRequested(_:)`` run a role.
    public static let selfHostFlag = "--turnstile-ipc-peer"

    /// Runs the role named by `arguments[0]` with the rest as its arguments.
    /// - Returns: the process exit code.
    public static func run(_ arguments: [String]) -> Int32 {
        guard let role = arguments.first else {
            printError("usage: \(PeerExecutable.helperName) ROLE [ARGUMENTS...]\n")
            return 2
        }
        let rest = Array(arguments.dropFirst())
        do {
            if let code = try runChannelRole(role, rest) ?? runRelayRole(role, rest) ?? runSharedMemoryRole(role, rest)
                ?? runCovertRole(role, rest) {
                return code
            }
            printError("\(PeerExecutable.helperName): unknown role \(role)\n")
            return 2
        } catch let error as IPCError {
            printError("\(PeerExecutable.helperName) \(role): \(error)\n")
            return 3
        } catch {
            printError("\(PeerExecutable.helperName) \(role): \(error)\n")
            return 3
        }
    }

    /// For a host executable: if `arguments[1]` is ``selfHostFlag``, runs the role and exits;
    /// otherwise records that this executable can host peers (``PeerExecutable/locate()`` then
    /// falls back to it) and returns. Call it first thing in `main`.
    public static func runIfRequested(_ arguments: [String] = CommandLine.arguments) {
        if arguments.count > 1 && arguments[1] == selfHostFlag {
            exit(run(Array(arguments.dropFirst(2))))
        }
        PeerExecutable.selfHosting.store(true, ordering: .releasing)
    }

    static func integer(_ arguments: [String], _ index: Int) throws -> Int {
        guard index < arguments.count, let value = Int(arguments[index]) else {
            throw IPCError(.invalidArgument, "peer arguments", detail: "argument \(index + 1) must be an integer")
        }
        return value
    }

    static func argument(_ arguments: [String], _ index: Int) throws -> String {
        guard index < arguments.count else {
            throw IPCError(.invalidArgument, "peer arguments", detail: "missing argument \(index + 1)")
        }
        return arguments[index]
    }
}

/// Writes `text` to standard error (descriptor 2) unbuffered.
func printError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
