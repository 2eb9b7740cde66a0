import CGit2
import Foundation

extension RepositoryFetcher {
    /// Writes the named files of a commit into `directory`, reading blobs straight from the
    /// commit's tree (no checkout, no filters, no hooks).
    ///
    /// Only regular files (modes 100644 and 100755) are written, always with mode 0644, creating
    /// parent directories as needed and never following a symlink at the destination. Symlinks,
    /// submodules and directories are reported, not followed; a path whose parent is not a
    /// directory in the commit is reported missing.
    /// - Parameters:
    ///   - paths: Repository-relative paths (`Sources/Lock.swift`); `.` components are ignored.
    ///   - commitID: A full or abbreviated (at least 4 digits) hex commit id.
    ///   - mirror: A mirror made by ``fetch(repository:into:)``.
    ///   - directory: Where to write; each file lands at `directory/path`.
    ///   - maxFileBytes: Files larger than this are reported ``ExtractedFile/Status/tooLarge(_:)``.
    /// - Returns: One result per path, in the order given.
    /// - Throws: ``FetchError/invalidPath(_:)`` (before anything is written) for an empty or
    ///   absolute path or one with a `..` component; ``FetchError/libgit2(code:message:)`` if the
    ///   commit is not in the mirror; ``FetchError/cannotWrite(_:message:)`` if writing fails.
    public func extract(
        paths: [String], at commitID: String, in mirror: URL, to directory: URL, maxFileBytes: Int = RepositoryFetcher.studentFileLimit
    ) throws -> [ExtractedFile] {
        let components = try paths.map(Self.validatedComponents)
        return try withMirror(mirror) { repo in
            var oid = git_oid()
            try LibGit2.check(mirror.path) { git_oid_fromstrn(&oid, commitID, commitID.utf8.count) }
            var commit: OpaquePointer?
            try LibGit2.check(mirror.path) { git_commit_lookup_prefix(&commit, repo, &oid, commitID.utf8.count) }
            defer { git_commit_free(commit) }
            var tree: OpaquePointer?
            try LibGit2.check(mirror.path) { git_commit_tree(&tree, commit) }
            defer { git_tree_free(tree) }
            return try zip(paths, components).map { path, parts in
                ExtractedFile(
                    path: path,
                    status: try extractOne(parts, repo: repo, tree: tree, to: directory, maxFileBytes: maxFileBytes))
            }
        }
    }

    private func extractOne(
        _ parts: [String], repo: OpaquePointer?, tree: OpaquePointer?, to directory: URL, maxFileBytes: Int
    ) throws -> ExtractedFile.Status {
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, parts.joined(separator: "/")) == 0 else { return .missing }
        defer { git_tree_entry_free(entry) }
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: break
        case GIT_FILEMODE_LINK: return .notRegularFile(.symlink)
        case GIT_FILEMODE_COMMIT: return .notRegularFile(.submodule)
        case GIT_FILEMODE_TREE: return .notRegularFile(.directory)
        default: return .notRegularFile(.other)
        }
        var blob: OpaquePointer?
        try LibGit2.check(parts.joined(separator: "/")) { git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        if size > maxFileBytes { return .tooLarge(size) }
        let bytes = UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size)
        try Self.writeRegularFile(bytes, to: directory, parts)
        return .written(size)
    }

    /// Splits a path into components, rejecting paths that could land outside the destination.
    static func validatedComponents(_ path: String) throws -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            .filter { $0 != "." }
        if path.hasPrefix("/") || parts.isEmpty || parts.contains("..") || path.contains("\0") {
            throw FetchError.invalidPath(path)
        }
        return parts
    }

    /// Creates `directory/parts…` as a 0644 regular file holding `bytes`, refusing symlinks.
    private static func writeRegularFile(_ bytes: UnsafeRawBufferPointer, to directory: URL, _ parts: [String]) throws {
        let relative = parts.joined(separator: "/")
        var target = directory
        for part in parts { target.appendPathComponent(part) }
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw FetchError.cannotWrite(relative, message: error.localizedDescription)
        }
        let fd = open(target.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.cannotWrite(relative, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        fchmod(fd, 0o644)
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FetchError.cannotWrite(relative, message: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
