import CGit2
import Foundation

/// How the grader proves who it is to a private course repository: over HTTPS a token (from the
/// environment, or from the instructor's git credential helper), over SSH an agent or a key
/// file, with the server's host key checked against a known-hosts file.
///
/// Secrets are read from the environment or the helper when a fetch asks for them and are handed
/// to libgit2 only: they are never stored in the gradebook, printed, or put in an error message
/// (errors name where a secret came from — `TURNSTILE_GIT_TOKEN`, the SSH agent — never its
/// value). Each kind of credential is offered once per fetch, so a refused one ends the fetch as
/// ``FetchError/authentication(_:message:)`` instead of libgit2 asking again for ever.
///
/// Environment (``fromEnvironment(_:)``):
/// - `TURNSTILE_GIT_TOKEN`: the HTTPS password or token (a GitHub Classroom organisation's token);
///   `TURNSTILE_GIT_USERNAME` its user name (default `x-access-token`, what GitHub expects);
///   `TURNSTILE_GIT_TOKEN_HOST` the only host it is sent to (a roster line pointing elsewhere
///   then gets no secret). A password is never sent over unencrypted `http://`, except to
///   loopback.
/// - `TURNSTILE_GIT_CREDENTIAL_HELPER=1`: ask `git credential fill` (the instructor's own git
///   configuration, never a student's) when no token is set.
/// - `TURNSTILE_SSH_KEY`: a private key file (`TURNSTILE_SSH_KEY_PASSPHRASE` if it has one);
///   otherwise the SSH agent at `SSH_AUTH_SOCK`. `TURNSTILE_SSH_USER` overrides the user name
///   (default: the one in the URL, else `git`).
/// - `TURNSTILE_SSH_KNOWN_HOSTS`: the known-hosts file the server's key must be in (default
///   `~/.ssh/known_hosts` when it exists). Hashed entries (`|1|…`) are not read: list hosts by
///   name (`ssh-keyscan HOST >> FILE`).
public struct FetchCredentials: Sendable, Equatable {
    /// HTTPS user name and token.
    public var httpsUsername: String
    /// The HTTPS token, if any.
    public var httpsToken: String?
    /// Whether to ask git's credential helper when no token is set.
    public var useCredentialHelper: Bool
    /// A private key file for SSH.
    public var sshKeyFile: String?
    /// The key file's passphrase.
    public var sshKeyPassphrase: String?
    /// Whether to offer the SSH agent's keys.
    public var useSSHAgent: Bool
    /// The SSH user name, overriding the URL's.
    public var sshUser: String?
    /// The known-hosts file the server's SSH key must be listed in.
    public var knownHostsFile: String?
    /// The only host the token and the helper's password are sent to, if set
    /// (`TURNSTILE_GIT_TOKEN_HOST`, e.g. `github.com`).
    public var httpsHost: String?

    /// No credentials: public repositories and local paths only.
    public static let none = FetchCredentials(
        httpsUsername: "x-access-token", httpsToken: nil, useCredentialHelper: false, sshKeyFile: nil,
        sshKeyPassphrase: nil, useSSHAgent: false, sshUser: nil, knownHostsFile: nil)

    /// Creates credentials from their parts; see the type's discussion for what each is.
    public init(
        httpsUsername: String = "x-access-token", httpsToken: String? = nil, useCredentialHelper: Bool = false,
        sshKeyFile: String? = nil, sshKeyPassphrase: String? = nil, useSSHAgent: Bool = false, sshUser: String? = nil,
        knownHostsFile: String? = nil, httpsHost: String? = nil
    ) {
        self.httpsHost = httpsHost
        self.httpsUsername = httpsUsername
        self.httpsToken = httpsToken
        self.useCredentialHelper = useCredentialHelper
        self.sshKeyFile = sshKeyFile
        self.sshKeyPassphrase = sshKeyPassphrase
        self.useSSHAgent = useSSHAgent
        self.sshUser = sshUser
        self.knownHostsFile = knownHostsFile
    }

    /// The credentials the environment names (see the type's discussion).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> FetchCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var knownHosts = value("TURNSTILE_SSH_KNOWN_HOSTS")
        if knownHosts == nil, let home = value("HOME"), FileManager.default.fileExists(atPath: home + "/.ssh/known_hosts") {
            knownHosts = home + "/.ssh/known_hosts"
        }
        return FetchCredentials(
            httpsUsername: value("TURNSTILE_GIT_USERNAME") ?? "x-access-token", httpsToken: value("TURNSTILE_GIT_TOKEN"),
            useCredentialHelper: value("TURNSTILE_GIT_CREDENTIAL_HELPER") == "1", sshKeyFile: value("TURNSTILE_SSH_KEY"),
            sshKeyPassphrase: value("TURNSTILE_SSH_KEY_PASSPHRASE"), useSSHAgent: value("SSH_AUTH_SOCK") != nil,
            sshUser: value("TURNSTILE_SSH_USER"), knownHostsFile: knownHosts, httpsHost: value("TURNSTILE_GIT_TOKEN_HOST"))
    }

    /// Why no password may be sent to `url`, or nil if it may: never over unencrypted `http://`
    /// except to this machine (loopback), and only to ``httpsHost`` when that is set.
    public func withholdsSecrets(from url: String) -> String? {
        guard let parsed = URL(string: url), let host = parsed.host?.lowercased() else { return nil }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        if parsed.scheme?.lowercased() == "http", !loopback {
            return "the server asked for a password over unencrypted http, which the grader never sends; use the repository's https:// address"
        }
        if let allowed = httpsHost?.lowercased(), allowed != host {
            return "the server \(host) asked for a password, but TURNSTILE_GIT_TOKEN_HOST allows sending it only to \(allowed)"
        }
        return nil
    }

    /// Whether anything is configured for HTTPS.
    var hasHTTPS: Bool { httpsToken != nil || useCredentialHelper }
    /// Whether anything is configured for SSH.
    var hasSSH: Bool { sshKeyFile != nil || useSSHAgent }

    /// What to set when a server asked for credentials of `kinds` and none of ours fit.
    static func advice(for kinds: UInt32) -> String {
        var options: [String] = []
        if kinds & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            options.append("set TURNSTILE_GIT_TOKEN to a token with read access (or TURNSTILE_GIT_CREDENTIAL_HELPER=1 to use git's credential helper)")
        }
        if kinds & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            options.append("start an SSH agent holding the course key (SSH_AUTH_SOCK) or set TURNSTILE_SSH_KEY to a key file")
        }
        return options.isEmpty ? "the server asked for a kind of credential the grader does not support" : options.joined(separator: "; or ")
    }

    /// Asks `git credential fill` for a user name and password for `url`, with prompting off;
    /// nil when the helper has nothing. Blocking: runs git once (stopped after 30 s).
    /// - Parameter environment: git's environment (where it finds its configuration).
    static func helperCredentials(
        for url: String, environment base: [String: String] = ProcessInfo.processInfo.environment
    ) -> (username: String, password: String)? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return nil }
        var environment = base
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "/bin/false"
        let port = parsed.port.map { ":\($0)" } ?? ""
        let request = "protocol=\(scheme)\nhost=\(host)\(port)\npath=\(parsed.path.drop(while: { $0 == "/" }))\n\n"
        // A helper that asks a person anyway is stopped after 30 s and counts as "nothing".
        guard
            let outcome = try? ToolRunner.run(
                "/usr/bin/env", ["git", "credential", "fill"], in: URL(fileURLWithPath: "/"), environment: environment,
                input: Data(request.utf8), timeout: 30, outputLimit: 64 << 10, includeErrors: false),
            outcome.status == 0, !outcome.timedOut
        else { return nil }
        let answer = outcome.output
        var fields: [String: String] = [:]
        for line in answer.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let username = fields["username"], let password = fields["password"] else { return nil }
        return (username, password)
    }

    /// Whether `key` (the raw public key the server showed) is listed for `host` in the
    /// known-hosts text `knownHosts`.
    static func knownHostsList(_ knownHosts: String, host: String, key: [UInt8]) -> Bool {
        for line in knownHosts.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@") else { continue }
            let patterns = fields[0].split(separator: ",").map(String.init)
            let matches = patterns.contains { $0 == host || $0.hasPrefix("[\(host)]:") }
            guard matches, let listed = Data(base64Encoded: String(fields[2])) else { continue }
            if [UInt8](listed) == key { return true }
        }
        return false
    }
}
