/// What happened to one path asked for by ``RepositoryFetcher/extract(paths:at:in:to:maxFileBytes:)``.
public struct ExtractedFile: Sendable, Hashable {
    /// The kind of tree entry found where a regular file was expected.
    public enum EntryKind: String, Sendable, Hashable {
        /// A symbolic link (mode 120000); never followed.
        case symlink
        /// A submodule (gitlink, mode 160000).
        case submodule
        /// A directory (tree).
        case directory
        /// Any other mode.
        case other
    }

    /// The outcome for the path.
    public enum Status: Sendable, Hashable {
        /// The blob was written (mode 0644); the associated value is its size in bytes.
        case written(Int)
        /// Nothing exists at the path in the commit (or a parent component is not a directory).
        case missing
        /// The path names something other than a regular file; nothing was written.
        case notRegularFile(EntryKind)
        /// The blob is larger than the cap; the associated value is its size. Nothing was written.
        case tooLarge(Int)
    }

    /// The path relative to the repository root, as given.
    public var path: String
    /// What happened.
    public var status: Status

    /// Creates a result.
    /// - Parameters:
    ///   - path: The repository-relative path.
    ///   - status: What happened.
    public init(path: String, status: Status) {
        self.path = path
        self.status = status
    }
}
