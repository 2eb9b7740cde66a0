import CGit2
import Foundation

/// Why a student repository could not be fetched, dated or read.
///
/// Every case's ``errorDescription`` says what happened and what the person running the grader
/// can do about it.
public enum FetchError: Error, Sendable, Equatable {
    /// Nothing that looks like a repository answered at this address.
    case repositoryNotFound(String)
    /// The server refused the credentials (or asked for some and none were configured).
    case authentication(String, message: String)
    /// The server could not be reached or the transfer broke off.
    case network(String, message: String)
    /// Every commit on the branch is later than the deadline; `earliest` is the oldest commit time.
    case noCommitBeforeDeadline(Date, earliest: Date?)
    /// The repository (or the requested branch) has no commits.
    case emptyRepository(String)
    /// A path given to extract is absolute, empty or climbs out with `..`.
    case invalidPath(String)
    /// An extracted file could not be written to the destination directory.
    case cannotWrite(String, message: String)
    /// Any other libgit2 failure, with its error code and message.
    case libgit2(code: Int32, message: String)
    /// The fetch received more than the grader's byte cap and was stopped.
    case tooLarge(String, limitBytes: Int)
    /// The fetch took longer than the grader's time limit and was abandoned.
    case timedOut(String, seconds: Int)

    /// Maps a libgit2 failure to the case a person can act on.
    /// Whether the error is about the local mirror rather than the repository or the way to
    /// it (not found, authentication, network, too large, too slow).
    var isLocal: Bool {
        if case .libgit2 = self { return true }
        return false
    }

    /// `repository` without any user name or password written into its URL
    /// (`https://user:secret@host/x` → `https://host/x`), for messages and the gradebook.
    public static func redacted(_ repository: String) -> String {
        guard let schemeEnd = repository.range(of: "://") else { return repository }
        let rest = repository[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return repository }
        return String(repository[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The same error with every repository address in it redacted (``redacted(_:)``).
    public func redactingAddresses() -> FetchError {
        switch self {
        case .repositoryNotFound(let repository): .repositoryNotFound(Self.redacted(repository))
        case .authentication(let repository, let message): .authentication(Self.redacted(repository), message: message)
        case .network(let repository, let message): .network(Self.redacted(repository), message: message)
        case .emptyRepository(let repository): .emptyRepository(Self.redacted(repository))
        case .tooLarge(let repository, let limit): .tooLarge(Self.redacted(repository), limitBytes: limit)
        case .timedOut(let repository, let seconds): .timedOut(Self.redacted(repository), seconds: seconds)
        case .noCommitBeforeDeadline, .invalidPath, .cannotWrite, .libgit2: self
        }
    }

    static func classify(
        _ error: (code: Int32, errorClass: Int32, message: String), repository: String
    ) -> FetchError {
        let lowered = error.message.lowercased()
        if error.code == GIT_EAUTH.rawValue || lowered.contains("authentication")
            || lowered.contains("credentials")
        {
            return .authentication(repository, message: error.message)
        }
        if error.code == GIT_ENOTFOUND.rawValue || lowered.contains("not found")
            || lowered.contains("could not find repository") || lowered.contains("not a git repository")
            || lowered.contains("does not appear to be a git repository")
            || lowered.contains("unexpected http status code: 404") || lowered.contains("failed to resolve path")
            || lowered.contains("unsupported url protocol")
        {
            return .repositoryNotFound(repository)
        }
        let networkClasses: [git_error_t] = [GIT_ERROR_NET, GIT_ERROR_SSL, GIT_ERROR_SSH, GIT_ERROR_HTTP]
        let networkWords = ["failed to connect", "connection refused", "timed out", "failed to resolve address", "unreachable"]
        if networkClasses.contains(where: { Int32($0.rawValue) == error.errorClass })
            || error.code == GIT_ECERTIFICATE.rawValue || networkWords.contains(where: lowered.contains)
        {
            return .network(repository, message: error.message)
        }
        return .libgit2(code: error.code, message: error.message)
    }
}

extension FetchError: LocalizedError {
    /// What happened, and what to do about it.
    public var errorDescription: String? {
        switch self {
        case .repositoryNotFound(let repository):
            return "No git repository was found at \(repository). Check the roster's repository "
                + "column for this student (spelling, URL scheme, path) and that the repository exists."
        case .authentication(let repository, let message):
            return "Access to \(repository) was refused (\(message)). Give the grader read access to "
                + "the repository (a token in TURNSTILE_GIT_TOKEN, an SSH key in the agent or TURNSTILE_SSH_KEY), "
                + "or ask the student to add the course account."
        case .network(let repository, let message):
            return "Could not reach \(repository) (\(message)). Check the network and the host name, "
                + "then run the fetch again; already-fetched mirrors are kept."
        case .noCommitBeforeDeadline(let deadline, let earliest):
            let first = earliest.map { "; the earliest commit is from \($0.formatted(.iso8601))" } ?? ""
            return "No commit on the branch is at or before the deadline \(deadline.formatted(.iso8601))\(first). "
                + "Treat the submission as missing, or grade it as late with a later deadline."
        case .emptyRepository(let repository):
            return "\(repository) has no commits on the branch being graded. Ask the student to push "
                + "their work (git push origin HEAD), then fetch again."
        case .invalidPath(let path):
            return "Refusing to extract \"\(path)\": paths must be relative to the repository root and "
                + "must not contain \"..\". Fix the student-owned file list in the assignment manifest."
        case .cannotWrite(let path, let message):
            return "Could not write \"\(path)\" into the workspace (\(message)). Check that the "
                + "workspace directory exists, is writable and has free space."
        case .libgit2(let code, let message):
            return "libgit2 failed with code \(code): \(message). If the mirror is damaged, delete "
                + "its directory and fetch again."
        case .tooLarge(let repository, let limit):
            return "Fetching \(repository) went past the \(limit >> 20) MiB limit and was stopped. Ask the student to "
                + "remove large files from the repository's history, or raise the limit (--fetch-max-mib)."
        case .timedOut(let repository, let seconds):
            return "Fetching \(repository) took longer than \(seconds) s and was abandoned (a slow or stalled "
                + "server). The rest of the batch went on; fetch again later, or raise the limit (--fetch-timeout)."
        }
    }
}
