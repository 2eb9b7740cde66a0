import CGit2
import Foundation

/// Creates commits in a working directory with libgit2: what `turnstile init` uses for a
/// student's first commit and `turnstile demo` for its sample students.
public struct LocalRepository: Sendable {
    /// The working directory.
    public let directory: URL

    /// Opens the repository at `directory`, creating it (on branch `main`) if needed.
    public init(directory: URL) throws {
        LibGit2.ensureInitialized()
        self.directory = directory
        var repository: OpaquePointer?
        if git_repository_open(&repository, directory.path) != 0 {
            var options = git_repository_init_options()
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
            options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
            try "main".withCString { head in
                options.initial_head = head
                try LibGit2.check(directory.path) { git_repository_init_ext(&repository, directory.path, &options) }
            }
        }
        git_repository_free(repository)
    }

    /// Stages every file in the working directory (respecting `.gitignore`) and commits it.
    /// - Parameters:
    ///   - message: The commit message.
    ///   - author: Name and e-mail of author and committer.
    ///   - date: The commit's author and committer time.
    /// - Returns: The new commit's id.
    @discardableResult
    public func commitAll(message: String, author: (name: String, email: String) = ("Turnstile", "turnstile@localhost"), date: Date = Date()) throws -> String {
        var repository: OpaquePointer?
        try LibGit2.check(directory.path) { git_repository_open(&repository, directory.path) }
        defer { git_repository_free(repository) }
        var index: OpaquePointer?
        try LibGit2.check(directory.path) { git_repository_index(&index, repository) }
        defer { git_index_free(index) }
        var everything = git_strarray()
        try LibGit2.check(directory.path) { git_index_add_all(index, &everything, 0, nil, nil) }
        try LibGit2.check(directory.path) { git_index_write(index) }
        var treeID = git_oid()
        try LibGit2.check(directory.path) { git_index_write_tree(&treeID, index) }
        var tree: OpaquePointer?
        try LibGit2.check(directory.path) { git_tree_lookup(&tree, repository, &treeID) }
        defer { git_tree_free(tree) }
        var signature: UnsafeMutablePointer<git_signature>?
        try LibGit2.check(directory.path) {
            git_signature_new(&signature, author.name, author.email, git_time_t(date.timeIntervalSince1970), 0)
        }
        defer { git_signature_free(signature) }
        var parentID = git_oid()
        var parent: OpaquePointer?
        if git_reference_name_to_id(&parentID, repository, "HEAD") == 0 {
            try LibGit2.check(directory.path) { git_commit_lookup(&parent, repository, &parentID) }
        }
        defer { git_commit_free(parent) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        try parents.withUnsafeMutableBufferPointer { buffer in
            try LibGit2.check(directory.path) {
                git_commit_create(
                    &commitID, repository, "HEAD", signature, signature, nil, message, tree, buffer.count, buffer.baseAddress)
            }
        }
        return LibGit2.hex(&commitID)
    }
}
