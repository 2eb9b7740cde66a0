import Foundation
import Grading
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Private repositories over SSH against a loopback OpenSSH server: a key file opens the
/// repository; a key the server does not accept, no key at all, a server whose host
/// key the known-hosts file does not list, or no known-hosts file, each end the fetch as
/// `authentication` with what to do.
@Suite(.serialized, .enabled(if: LoopbackSSHServer.unavailable == nil, "\(LoopbackSSHServer.unavailable ?? "")"))
struct PrivateSSHRepositoryTests {
    /// A bare repository with one commit, served over SSH.
    static func served() throws -> (fixture: GitFixture, server: LoopbackSSHServer, repository: String) {
        let fixture = try GitFixture()
        let bare = try fixture.servedBareCopy()
        let server = try LoopbackSSHServer(directory: fixture.root.appendingPathComponent("sshd"))
        return (fixture, server, server.url(bare))
    }

    static func expectRefused(_ repository: String, into mirror: URL, _ credentials: FetchCredentials, saying phrase: String) {
        let message = expectAuthenticationFailure("expected refused (\(phrase))") {
            try RepositoryFetcher().fetchWithLimits(repository: repository, into: mirror, limits: FetchLimits(seconds: 30), credentials: credentials)
        }
        #expect(message.contains(phrase), "\(message)")
    }

    @Test func aKeyFileOpensTheRepositoryAndOthersAreRefusedWithWhatToDo() throws {
        let (fixture, server, repository) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let environment = ["TURNSTILE_SSH_KEY": server.clientKey.path, "TURNSTILE_SSH_KNOWN_HOSTS": server.knownHosts.path]
        try RepositoryFetcher().fetchWithLimits(
            repository: repository, into: fixture.mirror, limits: FetchLimits(seconds: 30), credentials: .fromEnvironment(environment))
        #expect(try RepositoryFetcher().lastCommit(in: fixture.mirror, atOrBefore: nil).summary == "work")
        let other = fixture.root.appendingPathComponent("other.git")
        Self.expectRefused(repository, into: other, .fromEnvironment(["TURNSTILE_SSH_KEY": server.strangerKey.path, "TURNSTILE_SSH_KNOWN_HOSTS": server.knownHosts.path]),
                           saying: "the key file in TURNSTILE_SSH_KEY")
        Self.expectRefused(repository, into: other, .fromEnvironment(["TURNSTILE_SSH_KNOWN_HOSTS": server.knownHosts.path]),
                           saying: "none are configured")
        Self.expectRefused(repository, into: other, .fromEnvironment(["TURNSTILE_SSH_KEY": server.clientKey.path, "TURNSTILE_SSH_KNOWN_HOSTS": server.wrongKnownHosts.path]),
                           saying: "does not list")
        Self.expectRefused(repository, into: other, .fromEnvironment(["TURNSTILE_SSH_KEY": server.clientKey.path, "HOME": "/nonexistent"]),
                           saying: "set TURNSTILE_SSH_KNOWN_HOSTS")
    }

    /// The agent's keys. libssh2 reads `SSH_AUTH_SOCK` from the process environment, so the
    /// test sets it for its own duration (no other test uses an agent).
    @Test func anAgentsKeyOpensTheRepository() throws {
        let (fixture, server, repository) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let socket = fixture.root.appendingPathComponent("agent.sock").path
        let agent = try LoopbackSSHServer.start("/usr/bin/ssh-agent", ["-D", "-a", socket])
        defer {
            kill(agent, SIGKILL)
            var status: Int32 = 0
            waitpid(agent, &status, 0)
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { Thread.sleep(forTimeInterval: 0.05) }
        var environment = ProcessInfo.processInfo.environment
        environment["SSH_AUTH_SOCK"] = socket
        try LoopbackSSHServer.run("/usr/bin/ssh-add", ["-q", server.clientKey.path], environment: environment)
        let previous = getenv("SSH_AUTH_SOCK").map { String(cString: $0) }
        setenv("SSH_AUTH_SOCK", socket, 1)
        defer { if let previous { setenv("SSH_AUTH_SOCK", previous, 1) } else { unsetenv("SSH_AUTH_SOCK") } }
        let credentials = FetchCredentials.fromEnvironment(["SSH_AUTH_SOCK": socket, "TURNSTILE_SSH_KNOWN_HOSTS": server.knownHosts.path])
        #expect(credentials.useSSHAgent)
        try RepositoryFetcher().fetchWithLimits(repository: repository, into: fixture.mirror, limits: FetchLimits(seconds: 30), credentials: credentials)
        #expect(try RepositoryFetcher().lastCommit(in: fixture.mirror, atOrBefore: nil).summary == "work")
    }
}
