#if canImport(Glibc)
    import Glibc
#endif

/// glibc extensions that Swift's Glibc module does not import (`posix_spawn` file actions,
/// `pipe2`, `mkostemp`), looked up by name at run time.
enum SpawnExtensions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias MakeTemporary = @convention(c) (UnsafeMutablePointer<CChar>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    /// Adds "close every descriptor from `lowest` up" (glibc 2.34+), so no descriptor of the
    /// grader (a database, a key file) leaks into the child.
    static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) throws {
        guard let closeFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self) else {
            throw SandboxError.spawnFailed(call: "posix_spawn_file_actions_addclosefrom_np (needs glibc 2.34)", errno: ENOSYS)
        }
        let status = closeFrom(&actions, lowest)
        if status != 0 { throw SandboxError.spawnFailed(call: "posix_spawn_file_actions_addclosefrom_np", errno: status) }
    }

    /// Adds "change to `directory`" before the program starts (glibc 2.29+).
    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        guard let changeDirectory = symbol("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self) else {
            throw SandboxError.spawnFailed(call: "posix_spawn_file_actions_addchdir_np (needs glibc 2.29)", errno: ENOSYS)
        }
        let status = changeDirectory(&actions, directory)
        if status != 0 { throw SandboxError.spawnFailed(call: "posix_spawn_file_actions_addchdir_np", errno: status) }
    }

    /// Creates a pipe whose ends are close-on-exec from the start (`pipe2(O_CLOEXEC)`), so a
    /// process spawned by another thread at the same moment cannot inherit them.
    /// - Returns: The read and write ends.
    static func closeOnExecPipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let status: Int32
        if let pipe2 = symbol("pipe2", as: Pipe2.self) {
            status = pipe2(&fds, O_CLOEXEC)
        } else {
            status = pipe(&fds)
            if status == 0 { fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) } }
        }
        guard status == 0 else { throw SandboxError.spawnFailed(call: "pipe2", errno: errno) }
        return (fds[0], fds[1])
    }

    /// Creates and opens a unique close-on-exec file from a `…XXXXXX` template (`mkostemp`).
    /// - Returns: The descriptor; `template` holds the file's name.
    static func makeTemporaryFile(_ template: inout [CChar]) throws -> Int32 {
        guard let makeTemporary = symbol("mkostemp", as: MakeTemporary.self) else {
            throw SandboxError.spawnFailed(call: "mkostemp", errno: ENOSYS)
        }
        let fd = makeTemporary(&template, O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError.spawnFailed(call: "mkostemp", errno: errno) }
        return fd
    }
}
