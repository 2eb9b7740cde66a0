import Foundation
import Grading
import Testing

@Suite(.serialized) struct ExtractTests {
    let fetcher = RepositoryFetcher()

    /// A repository holding one of each kind of tree entry, fetched into a mirror.
    private func makeFixture() throws -> (GitFixture, CommitInfo) {
        let fixture = try GitFixture()
        do {
            return (fixture, try populate(fixture))
        } catch {
            fixture.remove()
            throw error
        }
    }

    private func populate(_ fixture: GitFixture) throws -> CommitInfo {
        try fixture.write("Sources/Lock.swift", "struct Lock {}\n")
        try fixture.write("run.sh", "#!/bin/sh\necho hi\n")
        try fixture.git("update-index", "--add", "--chmod=+x", "--", "run.sh")
        try FileManager.default.createSymbolicLink(atPath: fixture.work.appendingPathComponent("secret.swift").path, withDestinationPath: "/etc/passwd")
        try fixture.write("big.bin", String(repeating: "x", count: 5000))
        try fixture.git("add", "-A")
        let blobID = try fixture.git("rev-parse", ":run.sh")
        // A gitlink (submodule entry) pointing at an arbitrary id.
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(blobID),vendor")
        try fixture.git("commit", "-q", "-m", "fixture", date: 1_700_000_000)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        return try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil)
    }

    @Test func writesRegularFilesAndReportsEverythingElse() throws {
        let (fixture, commit) = try makeFixture()
        defer { fixture.remove() }
        let out = fixture.root.appendingPathComponent("workspace")
        let results = try fetcher.extract(
            paths: ["Sources/Lock.swift", "./run.sh", "secret.swift", "vendor", "Sources", "missing.swift", "run.sh/x", "big.bin"],
            at: commit.id, in: fixture.mirror, to: out, maxFileBytes: 4096)
        #expect(
            results.map(\.status) == [
                .written(15), .written(18), .notRegularFile(.symlink), .notRegularFile(.submodule),
                .notRegularFile(.directory), .missing, .missing, .tooLarge(5000),
            ])
        #expect(try String(contentsOf: out.appendingPathComponent("Sources/Lock.swift"), encoding: .utf8) == "struct Lock {}\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("run.sh").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644, "executable bit is not carried over")
        let written = try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted()
        #expect(written == ["Sources", "Sources/Lock.swift", "run.sh"])
    }

    @Test func abbreviatedCommitIDWorks() throws {
        let (fixture, commit) = try makeFixture()
        defer { fixture.remove() }
        let out = fixture.root.appendingPathComponent("workspace")
        let results = try fetcher.extract(paths: ["Sources/Lock.swift"], at: String(commit.id.prefix(10)), in: fixture.mirror, to: out)
        #expect(results.first?.status == .written(15))
    }

    @Test(arguments: ["../escape.swift", "Sources/../../x", "/etc/passwd", "", "."])
    func rejectsPathsThatLeaveTheWorkspace(path: String) throws {
        let (fixture, commit) = try makeFixture()
        defer { fixture.remove() }
        let out = fixture.root.appendingPathComponent("workspace")
        #expect(throws: FetchError.invalidPath(path)) {
            try fetcher.extract(paths: ["Sources/Lock.swift", path], at: commit.id, in: fixture.mirror, to: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written when a path is rejected")
    }

    @Test func unknownCommitIsAnError() throws {
        let (fixture, _) = try makeFixture()
        defer { fixture.remove() }
        #expect(throws: FetchError.self) {
            try fetcher.extract(paths: ["run.sh"], at: String(repeating: "ab", count: 20), in: fixture.mirror, to: fixture.root)
        }
    }
}
