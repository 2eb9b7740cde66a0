import Foundation
import Gradebook
import Grading
import Testing

/// Private repositories over HTTPS-style Basic authentication (a loopback smart-HTTP server that
/// demands a token): the token opens the repository, a missing or refused token ends the fetch
/// at once as `authentication` with what to set, and no secret reaches a message or the
/// gradebook.
@Suite(.serialized)
struct PrivateRepositoryTests {
    static let token = "course-token-7f3a9c"

    /// A served bare repository `alice.git` with one commit, and the server.
    static func served() throws -> (fixture: GitFixture, server: AuthenticatedGitServer) {
        let fixture = try GitFixture()
        let served = try fixture.servedBareCopy().deletingLastPathComponent()
        let server = try AuthenticatedGitServer(root: served, username: "x-access-token", password: token)
        return (fixture, server)
    }

    @Test func aTokenFromTheEnvironmentOpensAPrivateRepository() throws {
        let (fixture, server) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let credentials = FetchCredentials.fromEnvironment(["TURNSTILE_GIT_TOKEN": Self.token])
        try RepositoryFetcher().fetchWithLimits(repository: server.url("alice"), into: fixture.mirror, limits: FetchLimits(seconds: 20), credentials: credentials)
        let tip = try RepositoryFetcher().lastCommit(in: fixture.mirror, atOrBefore: nil)
        #expect(tip.summary == "work")
    }

    @Test func withoutCredentialsTheFetchSaysWhatToSet() throws {
        let (fixture, server) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let message = expectAuthenticationFailure("without credentials") {
            try RepositoryFetcher().fetch(repository: server.url("alice"), into: fixture.mirror, credentials: .none)
        }
        #expect(message.contains("none are configured") && message.contains("TURNSTILE_GIT_TOKEN"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: fixture.mirror.path), "a failed first fetch leaves no mirror behind")
    }

    @Test func aRefusedTokenIsNamedByWhereItCameFromNeverByItsValue() throws {
        let (fixture, server) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let wrong = "wrong-secret-5d1e"
        let message = expectAuthenticationFailure("with a refused token") {
            try RepositoryFetcher().fetch(
                repository: server.url("alice"), into: fixture.mirror,
                credentials: .fromEnvironment(["TURNSTILE_GIT_TOKEN": wrong]))
        }
        #expect(message.contains("the token in TURNSTILE_GIT_TOKEN"), "\(message)")
        #expect(!message.contains(wrong))
    }

    @Test func aTokenIsSentOnlyToItsHostAndNeverOverPlainHTTPElsewhere() throws {
        let (fixture, server) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let message = expectAuthenticationFailure("with the token's host set to another") {
            try RepositoryFetcher().fetch(
                repository: server.url("alice"), into: fixture.mirror,
                credentials: .fromEnvironment(["TURNSTILE_GIT_TOKEN": Self.token, "TURNSTILE_GIT_TOKEN_HOST": "github.com"]))
        }
        #expect(message.contains("allows sending it only to github.com"), "\(message)")
        let credentials = FetchCredentials.fromEnvironment(["TURNSTILE_GIT_TOKEN": Self.token])
        #expect(credentials.withholdsSecrets(from: "http://git.example.org/alice.git")?.contains("unencrypted http") == true)
        #expect(credentials.withholdsSecrets(from: "https://git.example.org/alice.git") == nil)
        #expect(credentials.withholdsSecrets(from: "http://127.0.0.1:8080/alice.git") == nil)
    }

    @Test func aUserNameAndPasswordInTheAddressAreNeverRepeated() {
        #expect(FetchError.redacted("https://x-access-token:s3cret@github.com/course/alice.git") == "https://github.com/course/alice.git")
        #expect(FetchError.redacted("ssh://git@example.org:2222/alice.git") == "ssh://example.org:2222/alice.git")
        #expect(FetchError.redacted("https://github.com/course/a@b.git") == "https://github.com/course/a@b.git")
        #expect(FetchError.redacted("/srv/git/alice.git") == "/srv/git/alice.git")
        let error = FetchError.network("https://u:s3cret@host/x.git", message: "down").redactingAddresses()
        #expect(!(error.localizedDescription.contains("s3cret")))
    }

    /// Collecting with a refused token: the student's status is `authenticationFailed` (not a
    /// bare fetch failure), and the gradebook file holds neither the token nor a password
    /// written into a roster address.
    @Test func collectRecordsAuthenticationFailedAndTheGradebookHoldsNoSecret() throws {
        let (fixture, server) = try Self.served()
        defer { server.stop(); fixture.remove() }
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        let database = fixture.root.appendingPathComponent("gradebook.sqlite")
        let store = try GradebookStore(path: database.path)
        let inAddress = "address-secret-91c2"
        let roster = Roster(entries: [
            RosterEntry(studentID: "alice", name: "Alice", repository: server.url("alice")),
            RosterEntry(studentID: "bob", name: "Bob", repository: server.url("alice").replacingOccurrences(of: "http://", with: "http://x-access-token:\(inAddress)@")),
        ])
        var options = GradingOptions(deadline: nil, cacheDirectory: fixture.root.appendingPathComponent("cache"), useSandbox: false)
        options.credentials = .fromEnvironment(["TURNSTILE_GIT_TOKEN": "refused-token-4b7d"])
        let summary = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options).collect(roster: roster)
        #expect(summary.outcomes.map(\.status) == [.recorded(.authenticationFailed), .recorded(.authenticationFailed)])
        for outcome in summary.outcomes {
            #expect(!outcome.detail.contains("refused-token-4b7d") && !outcome.detail.contains(inAddress), "\(outcome.detail)")
        }
        options.credentials = .fromEnvironment(["TURNSTILE_GIT_TOKEN": Self.token])
        let second = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options).collect(roster: roster)
        #expect(second.outcomes.first?.status == .collected, "\(second.outcomes.first?.detail ?? "")")
        let bytes = try Data(contentsOf: database)
        for secret in [Self.token, "refused-token-4b7d", inAddress] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the gradebook holds \(secret)")
        }
    }
}

/// Runs a fetch that must fail as ``FetchError/authentication(_:message:)`` and returns the
/// message a person would read (empty, with the test failed, when it did not).
func expectAuthenticationFailure(_ situation: String, _ fetch: () throws -> Void) -> String {
    do {
        try fetch()
        Issue.record("\(situation): the fetch succeeded; expected the server to refuse it")
    } catch let error as FetchError {
        if case .authentication = error { return error.localizedDescription }
        Issue.record("\(situation): expected an authentication failure, got \(error)")
    } catch {
        Issue.record("\(situation): unexpected \(error)")
    }
    return ""
}
