import CGit2
import Foundation

extension RepositoryFetcher {
    /// Picks the commit to grade: the first commit on the branch's first-parent history, walking
    /// back from its tip, whose committer time is at or before `deadline`.
    ///
    /// This is the commit `git rev-list -1 --first-parent --before=<deadline> <branch>` names.
    /// Commits merged in from side branches are never chosen (their content counts only through
    /// the merge). Commit times are whatever the student's clock or `GIT_COMMITTER_DATE` said;
    /// to enforce a deadline, fetch at the deadline and grade what was fetched then.
    /// - Parameters:
    ///   - mirror: A mirror made by ``fetch(repository:into:)``.
    ///   - deadline: The deadline, or nil to take the tip.
    ///   - branch: The branch name (e.g. `main`); nil means the remote's default branch
    ///     (`refs/remotes/origin/HEAD`), falling back to `main`, then `master`.
    ///   - start: Walk back from this commit (a collection's pinned commit) instead of the branch tip.
    /// - Returns: The chosen commit.
    /// - Throws: ``FetchError/noCommitBeforeDeadline(_:earliest:)`` if every commit is later;
    ///   ``FetchError/emptyRepository(_:)`` if the branch does not exist or has no commits;
    ///   ``FetchError/repositoryNotFound(_:)`` if `mirror` is not a repository.
    public func lastCommit(
        in mirror: URL, atOrBefore deadline: Date?, branch: String? = nil, startingAt start: String? = nil
    ) throws -> CommitInfo {
        try withMirror(mirror) { repo in
            let candidates = branch.map { ["refs/remotes/origin/\($0)"] }
                ?? ["refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/remotes/origin/master", "HEAD"]
            let first: OpaquePointer? = if let start {
                Self.lookupCommit(repo, start)
            } else {
                candidates.lazy.compactMap({ Self.peelToCommit(repo, $0) }).first
            }
            guard var commit = first else {
                if let start { throw FetchError.libgit2(code: -3, message: "the pinned commit \(start) is not in \(mirror.path): was the history rewritten?") }
                let what = branch.map { "\(mirror.path) (branch \($0))" } ?? mirror.path
                throw FetchError.emptyRepository(what)
            }
            var earliest: Date?
            while true {
                let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit)))
                if deadline == nil || time <= deadline! {
                    defer { git_commit_free(commit) }
                    let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
                    return CommitInfo(id: LibGit2.hex(git_commit_id(commit)), time: time, summary: summary)
                }
                earliest = min(earliest ?? time, time)
                var parent: OpaquePointer?
                let status = git_commit_parent(&parent, commit, 0)
                git_commit_free(commit)
                guard status == 0, let parent else {
                    throw FetchError.noCommitBeforeDeadline(deadline!, earliest: earliest)
                }
                commit = parent
            }
        }
    }

    /// The branch's first-parent history, tip first, at most `limit` commits: what the grader
    /// saw on a fetch (``GradebookStore`` records when it first saw each one).
    /// - Throws: ``FetchError/emptyRepository(_:)`` if the branch has no commits.
    public func firstParentHistory(in mirror: URL, limit: Int = 10_000) throws -> [CommitInfo] {
        try withMirror(mirror) { repo in
            let candidates = ["refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/remotes/origin/master", "HEAD"]
            guard var commit = candidates.lazy.compactMap({ Self.peelToCommit(repo, $0) }).first else {
                throw FetchError.emptyRepository(mirror.path)
            }
            var history: [CommitInfo] = []
            while history.count < limit {
                let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit)))
                let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
                history.append(CommitInfo(id: LibGit2.hex(git_commit_id(commit)), time: time, summary: summary))
                var parent: OpaquePointer?
                let status = git_commit_parent(&parent, commit, 0)
                git_commit_free(commit)
                guard status == 0, let parent else { return history }
                commit = parent
            }
            git_commit_free(commit)
            return history
        }
    }

    /// Looks up a commit by its full hex id, or nil.
    private static func lookupCommit(_ repo: OpaquePointer?, _ id: String) -> OpaquePointer? {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, id) == 0 else { return nil }
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, repo, &oid) == 0 else { return nil }
        return commit
    }

    /// Resolves a reference (following symbolic ones) to a commit, or nil.
    private static func peelToCommit(_ repo: OpaquePointer?, _ name: String) -> OpaquePointer? {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, repo, name) == 0 else { return nil }
        defer { git_reference_free(reference) }
        var object: OpaquePointer?
        guard git_reference_peel(&object, reference, GIT_OBJECT_COMMIT) == 0 else { return nil }
        return object
    }
}
