import Crypto
import Foundation

/// Keeps the student-owned files of every collected commit, content-addressed (a file's name is
/// the SHA-256 of its bytes), in a directory beside the gradebook: `<gradebook>.pinned/`.
///
/// It lives beside the gradebook, not in the cache, so a regrade after a force-push, a deleted
/// repository or a fresh cache still grades exactly the files the grader collected. Files are
/// immutable once written; writing the same content twice is a no-op.
public struct PinnedFileStore: Sendable {
    /// The directory holding the files.
    public let directory: URL

    /// The store beside the gradebook at `gradebookPath`.
    public init(gradebookPath: String) {
        directory = URL(fileURLWithPath: gradebookPath + ".pinned")
    }

    /// Keeps `data` and returns its SHA-256 in hex.
    /// - Throws: when the directory cannot be written.
    public func keep(_ data: Data) throws -> String {
        let hash = Self.hash(data)
        let file = directory.appendingPathComponent(hash)
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        }
        return hash
    }

    /// The SHA-256 of `data` in hex.
    /// Copies into this store every kept file of `other` it lacks (a merged shard's), checking
    /// each one's content against its name; returns how many were copied.
    public func absorb(_ other: PinnedFileStore) throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: other.directory.path)) ?? []
        var copied = 0
        for name in names where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            let data = try Data(contentsOf: other.directory.appendingPathComponent(name))
            guard Self.hash(data) == name else { continue }
            _ = try keep(data)
            copied += 1
        }
        return copied
    }

    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the kept files `files` (path → hash) under `root` at their paths; false if any is
    /// missing or no longer matches its hash.
    public func restore(_ files: [String: String], into root: URL) throws -> Bool {
        for (path, hash) in files {
            // A kept file whose content no longer matches its name was altered: refuse it.
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(hash).path),
                Self.hash(data) == hash
            else { return false }
            let destination = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination)
        }
        return !files.isEmpty
    }
}
