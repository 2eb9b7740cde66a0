#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where the peer program is: the small `turnstile-ipc-peer` helper, or the current executable
/// when it hosts the peer roles itself (it calls ``PeerMain/runIfRequested(_:)`` first thing).
public struct PeerExecutable: Sendable, Equatable {
    /// The environment variable that may hold the helper's path.
    public static let environmentVariable = "TURNSTILE_IPC_PEER"
    /// The helper's file name; SwiftPM builds it into the products directory (`.build/debug`).
    public static let helperName = "turnstile-ipc-peer"

    /// The program to start.
    public var path: String
    /// Arguments placed before the role (for self-hosting, the ``PeerMain/selfHostFlag``).
    public var leadingArguments: [String]

    /// A program and its leading arguments.
    public init(path: String, leadingArguments: [String] = []) {
        self.path = path
        self.leadingArguments = leadingArguments
    }

    static let selfHosting = Atomic<Bool>(false)

    /// Finds the peer program: `$TURNSTILE_IPC_PEER`, else `turnstile-ipc-peer` in the directory
    /// of the running executable (how tests find it next to the test bundle in `.build/debug`),
    /// else the running executable itself if it called ``PeerMain/runIfRequested(_:)``.
    /// - Throws: ``IPCError`` `.peerUnavailable` naming the places it looked.
    public static func locate() throws -> PeerExecutable {
        var searched: [String] = []
        if let path = getenv(environmentVariable).map({ String(cString: $0) }), !path.isEmpty {
            if access(path, X_OK) == 0 { return PeerExecutable(path: path) }
            searched.append(path)
        }
        if let current = currentExecutablePath() {
            let directory = current.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let sibling = directory + "/" + helperName
            if access(sibling, X_OK) == 0 { return PeerExecutable(path: sibling) }
            searched.append(sibling)
            if selfHosting.load(ordering: .acquiring) {
                return PeerExecutable(path: current, leadingArguments: [PeerMain.selfHostFlag])
            }
        }
        throw IPCError(.peerUnavailable, "locate the peer executable", detail: "looked at \(searched.joined(separator: ", "))")
    }

    /// The absolute path of the running executable (`/proc/self/exe`).
    public static func currentExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
