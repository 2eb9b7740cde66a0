import CGit2
import Foundation

/// Keeps a bare mirror of each student repository and reads the graded commit from it, with
/// libgit2 only (the `git` command is never run, so no hooks, config or filters from a student
/// repository can execute).
///
/// A mirror is a bare repository whose remote `origin` is the student's repository; branches are
/// kept as `refs/remotes/origin/*` and `refs/remotes/origin/HEAD` follows the remote's default
/// branch. Nothing is ever checked out: files are read straight from a commit's tree.
///
/// Threading: the fetcher holds no state. Each call opens its own libgit2 handles and frees them
/// before returning, so calls on *different* mirrors may run concurrently from different threads
/// (libgit2 is thread-safe as long as one object is not shared between threads). Calls on the
/// *same* mirror must not overlap (a fetch rewrites its refs and packs): serialize them, for
/// example by handling one student per task. Every call blocks its thread until libgit2 returns.
public struct RepositoryFetcher: Sendable {
    /// The largest student file taken, from a commit or an upload (1 MiB).
    public static let studentFileLimit = 1 << 20

    /// Creates a fetcher, initializing libgit2 the first time one is made.
    public init() {
        LibGit2.ensureInitialized()
    }

    /// Clones `repository` into a bare mirror at `mirror`, or, if a mirror is already there,
    /// fetches every branch from it (pruning branches deleted upstream, accepting force-pushes).
    ///
    /// If `repository` differs from the mirror's recorded `origin` URL (the roster changed), the
    /// URL is updated first. A mirror created by this call is removed again when the first fetch
    /// fails, so a retry starts clean.
    /// - Parameters:
    ///   - repository: A URL (`https://`, `ssh://`, `file://`) or a local path to a repository.
    ///   - mirror: The directory for the bare mirror; created if missing.
    ///   - limits: The most bytes and seconds the fetch may take (``FetchLimits``).
    ///   - credentials: What to offer a server that asks who the grader is (``FetchCredentials``).
    /// - Returns: `mirror`.
    /// - Throws: ``FetchError/tooLarge(_:limitBytes:)``, ``FetchError/timedOut(_:seconds:)``,
    ///   ``FetchError/repositoryNotFound(_:)``, ``FetchError/authentication(_:message:)``,
    ///   ``FetchError/network(_:message:)``, or ``FetchError/libgit2(code:message:)``.
    @discardableResult
    public func fetch(
        repository: String, into mirror: URL, limits: FetchLimits = FetchLimits(), credentials: FetchCredentials = .none
    ) throws -> URL {
        do {
            do {
                try fetchOnce(repository: repository, into: mirror, limits: limits, credentials: credentials)
            } catch let error as FetchError where error.isLocal && FileManager.default.fileExists(atPath: mirror.path) {
                // A mirror a killed run left half made (no origin yet, a lock file, a partial pack):
                // it is only a cache, so it is made again from scratch, once.
                try FileManager.default.removeItem(at: mirror)
                try fetchOnce(repository: repository, into: mirror, limits: limits, credentials: credentials)
            }
        } catch let error as FetchError {
            throw error.redactingAddresses()
        }
        return mirror
    }

    private func fetchOnce(repository: String, into mirror: URL, limits: FetchLimits, credentials: FetchCredentials) throws {
        LibGit2.ensureInitialized()
        let path = mirror.path
        var repo: OpaquePointer?
        let opened = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue, nil)
        var created = false
        if opened != 0 {
            let existed = FileManager.default.fileExists(atPath: path)
            try LibGit2.check(path) { git_repository_init(&repo, path, 1) }
            created = !existed
            try LibGit2.check(path) {
                var remote: OpaquePointer?
                defer { git_remote_free(remote) }
                return git_remote_create(&remote, repo, "origin", repository)
            }
        } else {
            var remote: OpaquePointer?
            defer { git_remote_free(remote) }
            if git_remote_lookup(&remote, repo, "origin") != 0 {
                git_repository_free(repo)
                throw FetchError.libgit2(code: -1, message: "the mirror at \(path) has no origin remote (a run was stopped while making it)")
            }
        }
        defer { git_repository_free(repo) }
        do {
            try fetchOrigin(of: repo, repository: repository, limits: limits, credentials: credentials)
        } catch {
            if created { try? FileManager.default.removeItem(at: mirror) }
            throw error
        }
    }

    /// Fetches all branches of `origin` and points `refs/remotes/origin/HEAD` at its default branch.
    private func fetchOrigin(of repo: OpaquePointer?, repository: String, limits: FetchLimits, credentials: FetchCredentials) throws {
        var remote: OpaquePointer?
        try LibGit2.check(repository) { git_remote_lookup(&remote, repo, "origin") }
        defer { git_remote_free(remote) }
        if String(cString: git_remote_url(remote)) != repository {
            try LibGit2.check(repository) { git_remote_set_url(repo, "origin", repository) }
            git_remote_free(remote)
            remote = nil
            try LibGit2.check(repository) { git_remote_lookup(&remote, repo, "origin") }
        }
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.prune = GIT_FETCH_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        let budget = FetchBudget(limits: limits, repository: repository, credentials: credentials)
        budget.install(on: &options)
        let status = withExtendedLifetime(budget) { git_remote_fetch(remote, nil, &options, "turnstile: fetch") }
        if let exceeded = budget.exceeded { throw exceeded }
        if status != 0, let refusal = budget.refusal { throw FetchError.authentication(repository, message: refusal) }
        try LibGit2.check(repository) { status }

        // The advertised HEAD stays cached after the fetch; an empty repository has none.
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_remote_default_branch(&buffer, remote) == 0, let name = buffer.ptr else { return }
        let branch = String(cString: name)
        guard branch.hasPrefix("refs/heads/") else { return }
        let tracking = "refs/remotes/origin/" + branch.dropFirst("refs/heads/".count)
        var reference: OpaquePointer?
        defer { git_reference_free(reference) }
        try LibGit2.check(repository) {
            git_reference_symbolic_create(&reference, repo, "refs/remotes/origin/HEAD", tracking, 1, "turnstile: default branch")
        }
    }

    /// Opens the bare mirror at `mirror` for the duration of `body`.
    func withMirror<T>(_ mirror: URL, _ body: (OpaquePointer?) throws -> T) throws -> T {
        LibGit2.ensureInitialized()
        var repo: OpaquePointer?
        let status = git_repository_open_ext(&repo, mirror.path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue, nil)
        if status != 0 { throw FetchError.repositoryNotFound(mirror.path) }
        defer { git_repository_free(repo) }
        return try body(repo)
    }
}
