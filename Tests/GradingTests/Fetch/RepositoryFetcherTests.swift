import Foundation
import Grading
import Testing

@Suite(.serialized) struct RepositoryFetcherTests {
    let fetcher = RepositoryFetcher()
    let t1 = 1_700_000_000, t2 = 1_700_100_000, t3 = 1_700_200_000

    private func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    @Test func clonesThenRefetchesNewCommits() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let first = try fixture.commit("first", at: t1)
        #expect(try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror).path == fixture.mirror.path)
        let tip = try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil)
        #expect(tip == CommitInfo(id: first, time: date(t1), summary: "first"))

        let second = try fixture.commit("second\n\nbody text", at: t2)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == first)  // not fetched yet
        try fetcher.fetch(repository: "file://" + fixture.work.path, into: fixture.mirror)
        let updated = try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil)
        #expect(updated.id == second)
        #expect(updated.summary == "second")
    }

    /// A batch killed while it made a mirror leaves it half made; the next run makes it again.
    @Test func aMirrorLeftHalfMadeByAKilledRunIsMadeAgain() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let first = try fixture.commit("first", at: t1)
        // Killed between creating the bare repository and adding its remote.
        try FileManager.default.createDirectory(at: fixture.mirror, withIntermediateDirectories: true)
        try fixture.git("init", "-q", "--bare", fixture.mirror.path)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == first)
        // Killed in the middle of a fetch, holding the lock on FETCH_HEAD.
        let second = try fixture.commit("second", at: t2)
        try Data().write(to: fixture.mirror.appendingPathComponent("FETCH_HEAD.lock"))
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == second)
    }

    @Test func refetchFollowsForcePushAndRosterURLChange() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.commit("one", at: t1)
        try fixture.commit("two", at: t2)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        try fixture.git("reset", "-q", "--hard", "HEAD~1")
        let rewritten = try fixture.commit("rewritten", at: t3)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == rewritten)

        let other = try GitFixture()
        defer { other.remove() }
        let elsewhere = try other.commit("moved repository", at: t1)
        try fetcher.fetch(repository: other.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == elsewhere)
    }

    @Test func unreachableServerIsANetworkError() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        #expect {
            try fetcher.fetch(repository: "http://127.0.0.1:1/student.git", into: fixture.mirror)
        } throws: { error in
            guard case .network = error as? FetchError else { return false }
            return true
        }
    }

    @Test func picksLastCommitAtOrBeforeDeadline() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let c1 = try fixture.commit("one", at: t1)
        let c2 = try fixture.commit("two", at: t2)
        let c3 = try fixture.commit("three", at: t3)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)

        #expect(throws: FetchError.noCommitBeforeDeadline(date(t1 - 1), earliest: date(t1))) {
            try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t1 - 1))
        }
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t1)).id == c1)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t2 + 5)).id == c2)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t2)).id == c2)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t3 + 86_400)).id == c3)
    }

    @Test func followsFirstParentOnly() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let base = try fixture.commit("base", at: t1)
        try fixture.git("checkout", "-q", "-b", "side")
        try fixture.commit("side work", at: t2, file: "side.txt")  // early, but only on a side branch
        try fixture.git("checkout", "-q", "main")
        try fixture.git("merge", "-q", "--no-ff", "-m", "merge late", "side", date: t3)
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t2 + 1)).id == base)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: date(t2 + 1), branch: "side").summary == "side work")
    }

    @Test func usesTheRemotesDefaultBranch() throws {
        let fixture = try GitFixture(defaultBranch: "trunk")
        defer { fixture.remove() }
        let trunk = try fixture.commit("on trunk", at: t1)
        try fixture.git("branch", "main")
        try fixture.git("checkout", "-q", "main")
        try fixture.commit("on main", at: t2)
        try fixture.git("checkout", "-q", "trunk")  // HEAD of the remote is trunk
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil).id == trunk)
        #expect(try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil, branch: "main").summary == "on main")
        #expect(throws: FetchError.self) {
            try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil, branch: "no-such-branch")
        }
    }

    @Test func emptyRepositoryIsReported() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fetcher.fetch(repository: fixture.work.path, into: fixture.mirror)
        #expect(throws: FetchError.emptyRepository(fixture.mirror.path)) {
            try fetcher.lastCommit(in: fixture.mirror, atOrBefore: nil)
        }
    }

    @Test(arguments: ["/nonexistent/turnstile/repo", "file:///nonexistent/turnstile/repo", "NOT-A-REPO"])
    func nonexistentRepositoryIsNotFound(repository: String) throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        // "NOT-A-REPO" stands for an existing directory that is not a repository.
        let source = repository == "NOT-A-REPO" ? fixture.root.appendingPathComponent("plain").path : repository
        try FileManager.default.createDirectory(atPath: fixture.root.appendingPathComponent("plain").path, withIntermediateDirectories: true)
        #expect(throws: FetchError.repositoryNotFound(source)) {
            try fetcher.fetch(repository: source, into: fixture.mirror)
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.mirror.path), "a failed first fetch leaves no mirror")
    }
}
