import Foundation

/// A throwaway directory with a work repository built by the `git` command (test set-up only; the
/// code under test uses libgit2). Commit dates are fixed through `GIT_*_DATE`, so tests are
/// deterministic. Call ``remove()`` when done.
final class GitFixture {
    let root: URL
    let work: URL
    var mirror: URL { root.appendingPathComponent("mirror.git") }

    init(defaultBranch: String = "main") throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("turnstile-fetch-\(UUID().uuidString)")
        work = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        do {
            try git("init", "-q", "-b", defaultBranch)
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs `git` in the work tree and returns its trimmed standard output.
    @discardableResult
    func git(_ arguments: String..., date: Int? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Fixture", "-c", "user.email=fixture@example.invalid"] + arguments
        process.currentDirectoryURL = work
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        if let date {
            environment["GIT_AUTHOR_DATE"] = "@\(date) +0000"
            environment["GIT_COMMITTER_DATE"] = "@\(date) +0000"
        }
        process.environment = environment
        // Output goes to a file: reading a pipe through FileHandle can fail with EINTR here.
        let outputFile = root.appendingPathComponent("git-output-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: outputFile)
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits one file and serves the work as the bare repository `served/alice.git` (for the
    /// private-repository servers); returns its directory.
    func servedBareCopy() throws -> URL {
        try write("Sources/Answer.swift", "let answer = 42\n")
        try git("add", "-A")
        try git("commit", "-q", "-m", "work", date: 1_700_000_000)
        let bare = root.appendingPathComponent("served/alice.git")
        try FileManager.default.createDirectory(at: bare.deletingLastPathComponent(), withIntermediateDirectories: true)
        try git("clone", "-q", "--bare", work.path, bare.path)
        return bare
    }

    /// Writes `contents` to `path` in the work tree.
    func write(_ path: String, _ contents: String) throws {
        let url = work.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Writes a file, commits everything at `date` (seconds since 1970) and returns the commit id.
    @discardableResult
    func commit(_ message: String, at date: Int, file: String = "notes.txt", contents: String? = nil) throws -> String {
        try write(file, contents ?? message)
        try git("add", "-A")
        try git("commit", "-q", "-m", message, date: date)
        return try git("rev-parse", "HEAD")
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
