import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSH server on loopback for fetch tests (test set-up only): fresh host and client keys,
/// public-key login for the current user with the client key only, `git-upload-pack` served from
/// the user's shell. Needs `/usr/sbin/sshd` (Debian's openssh-server, installed by
/// `.ci/install-deps`) and root (sshd's privilege separation). Stop it with ``stop()``.
final class LoopbackSSHServer {
    /// Whether a test can start one here, and if not, why.
    static var unavailable: String? {
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") {
            return "/usr/sbin/sshd is missing: install openssh-server (bash .ci/install-deps does)"
        }
        if getuid() != 0 { return "sshd's privilege separation needs root; run the tests as root to include them" }
        return nil
    }

    let port: Int
    let directory: URL
    /// The private key the server accepts, and one it does not.
    let clientKey: URL
    let strangerKey: URL
    /// A known-hosts file listing the server's key, and one listing another key for it.
    let knownHosts: URL
    let wrongKnownHosts: URL
    let user: String
    private let process: Process

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let keygen = { (name: String) throws -> URL in
            let key = directory.appendingPathComponent(name)
            try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.path])
            return key
        }
        let hostKey = try keygen("host_key")
        clientKey = try keygen("client_key")
        strangerKey = try keygen("stranger_key")
        let impostor = try keygen("impostor_host_key")
        try FileManager.default.copyItem(atPath: clientKey.path + ".pub", toPath: directory.appendingPathComponent("authorized_keys").path)
        let port = try Self.freePort()
        self.port = port
        user = String(cString: getpwuid(getuid()).pointee.pw_name)
        let listing = { (key: URL) throws -> String in
            let fields = try String(contentsOfFile: key.path + ".pub", encoding: .utf8).split(separator: " ")
            return "[127.0.0.1]:\(port) \(fields[0]) \(fields[1])\n"
        }
        knownHosts = directory.appendingPathComponent("known_hosts")
        wrongKnownHosts = directory.appendingPathComponent("wrong_known_hosts")
        try listing(hostKey).write(to: knownHosts, atomically: true, encoding: .utf8)
        try listing(impostor).write(to: wrongKnownHosts, atomically: true, encoding: .utf8)
        let config = """
            ListenAddress 127.0.0.1
            Port \(port)
            HostKey \(hostKey.path)
            AuthorizedKeysFile \(directory.appendingPathComponent("authorized_keys").path)
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            PidFile none

            """
        let configFile = directory.appendingPathComponent("sshd_config")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/sshd")
        process.arguments = ["-D", "-e", "-f", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !Self.accepts(port) { Thread.sleep(forTimeInterval: 0.05) }
        guard Self.accepts(port) else {
            stop()
            throw FixtureError(message: "the test's sshd did not start listening on 127.0.0.1:\(port)")
        }
    }

    /// The `ssh://` address of the bare repository at `path`.
    func url(_ path: URL) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path.path)" }

    /// Kills the server (SIGKILL: a child started from a test's thread may have SIGTERM blocked).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs a tool to its end with posix_spawn and waitpid (Foundation's `Process` can miss the
    /// exit of a short child while another child it started is still running).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let pid = try start(executable, arguments, environment: environment)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw FixtureError(message: "\(executable) \(arguments.joined(separator: " ")) exited with status \(status)")
        }
    }

    /// Starts a tool with posix_spawn (input and output on /dev/null) and returns its pid.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> pid_t {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environ = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + environ { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            throw FixtureError(message: "cannot start \(executable)")
        }
        return pid
    }

    /// A loopback port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw FixtureError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return false }
        // Ready means it sends its banner, not only that the port is open.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var banner = [UInt8](repeating: 0, count: 4)
        let count = recv(fd, &banner, 4, Int32(MSG_WAITALL))
        return count == 4 && banner == Array("SSH-".utf8)
    }
}
