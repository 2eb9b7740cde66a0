import CGit2
import Foundation

/// A credential the grader offered a server during one fetch.
enum OfferedCredential: Equatable {
    case token, helper, keyFile, agent, userName

    /// Where it came from, for an error message (never its value).
    var source: String {
        switch self {
        case .token: "the token in TURNSTILE_GIT_TOKEN"
        case .helper: "git's credential helper"
        case .keyFile: "the key file in TURNSTILE_SSH_KEY"
        case .agent: "the SSH agent's keys"
        case .userName: "the user name"
        }
    }
}

/// The state libgit2's callbacks share during one fetch, passed to them as their payload: the
/// limits the transfer-progress callback checks, and the credentials the credential and
/// host-key callbacks offer (each kind once).
final class FetchBudget {
    let limits: FetchLimits
    let repository: String
    let credentials: FetchCredentials
    let start = Date()
    var exceeded: FetchError?
    /// Credentials already offered in this fetch, in order.
    var offered: [OfferedCredential] = []
    /// Why the credential or host-key callback gave up, for the error message (no secrets).
    var refusal: String?

    init(limits: FetchLimits, repository: String, credentials: FetchCredentials = .none) {
        self.limits = limits
        self.repository = repository
        self.credentials = credentials
    }

    /// Installs the callback on `options`; `self` must outlive the fetch.
    func install(on options: inout git_fetch_options) {
        options.callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        options.callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let budget = Unmanaged<FetchBudget>.fromOpaque(payload).takeUnretainedValue()
            if Int(stats.pointee.received_bytes) > budget.limits.maxBytes {
                budget.exceeded = .tooLarge(budget.repository, limitBytes: budget.limits.maxBytes)
                return -1
            }
            if Date().timeIntervalSince(budget.start) > budget.limits.seconds {
                budget.exceeded = .timedOut(budget.repository, seconds: Int(budget.limits.seconds))
                return -1
            }
            return 0
        }
        options.callbacks.credentials = { out, url, usernameFromURL, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            let budget = Unmanaged<FetchBudget>.fromOpaque(payload).takeUnretainedValue()
            return budget.offerCredential(out, url: url.map { String(cString: $0) } ?? budget.repository,
                                          usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        options.callbacks.certificate_check = { certificate, _, host, payload in
            guard let certificate, let host, let payload else { return GIT_PASSTHROUGH.rawValue }
            let budget = Unmanaged<FetchBudget>.fromOpaque(payload).takeUnretainedValue()
            return budget.checkHostKey(certificate, host: String(cString: host))
        }
    }

    /// The next credential to offer for a server asking for `allowed` kinds, once each; an
    /// error when none is left (with ``refusal`` saying what to configure).
    func offerCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, url: String, usernameFromURL: String?, allowed: UInt32
    ) -> Int32 {
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let withheld = credentials.withholdsSecrets(from: url) {
            refusal = withheld
            return GIT_EAUTH.rawValue
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            if let token = credentials.httpsToken, !offered.contains(.token) {
                offered.append(.token)
                return git_credential_userpass_plaintext_new(out, credentials.httpsUsername, token)
            }
            if credentials.useCredentialHelper, !offered.contains(.helper) {
                offered.append(.helper)
                if let (username, password) = FetchCredentials.helperCredentials(for: url) {
                    return git_credential_userpass_plaintext_new(out, username, password)
                }
            }
        }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            let user = credentials.sshUser ?? usernameFromURL ?? "git"
            if let key = credentials.sshKeyFile, !offered.contains(.keyFile) {
                offered.append(.keyFile)
                return git_credential_ssh_key_new(out, user, nil, key, credentials.sshKeyPassphrase)
            }
            if credentials.useSSHAgent, !offered.contains(.agent) {
                offered.append(.agent)
                return git_credential_ssh_key_from_agent(out, user)
            }
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, !offered.contains(.userName) {
            offered.append(.userName)
            return git_credential_username_new(out, credentials.sshUser ?? usernameFromURL ?? "git")
        }
        let tried = offered.filter { $0 != .userName }
        refusal = tried.isEmpty
            ? "the server asked for credentials and none are configured: " + FetchCredentials.advice(for: allowed)
            : "the server refused the credentials offered (\(tried.map(\.source).joined(separator: ", "))): check that they grant read access to this repository"
        return GIT_EAUTH.rawValue
    }

    /// Checks an SSH server's host key against the known-hosts file; anything else (an HTTPS
    /// certificate) is left to libgit2's own verification.
    func checkHostKey(_ certificate: UnsafeMutablePointer<git_cert>, host: String) -> Int32 {
        guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        guard let file = credentials.knownHostsFile else {
            refusal = "the SSH server's host key cannot be checked: set TURNSTILE_SSH_KNOWN_HOSTS to a known-hosts file listing \(host) (ssh-keyscan \(host) >> FILE)"
            return GIT_ECERTIFICATE.rawValue
        }
        let hostKey = UnsafeMutableRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
            refusal = "the SSH server's host key could not be read"
            return GIT_ECERTIFICATE.rawValue
        }
        let key = [UInt8](UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
        let listed = (try? String(contentsOfFile: file, encoding: .utf8)).map { FetchCredentials.knownHostsList($0, host: host, key: key) } ?? false
        if listed { return 0 }
        refusal = "the SSH server \(host) showed a host key that \(file) does not list for it: if the server's key really changed, update that file (ssh-keyscan \(host)); otherwise someone may be between the grader and the server"
        return GIT_ECERTIFICATE.rawValue
    }
}
