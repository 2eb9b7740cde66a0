import Foundation
import Testing

@testable import Grading

/// git's credential helper, asked through the grader's process launcher: what a configured helper
/// stores comes back for its host only, and a helper with nothing to give is "no credentials",
/// never a prompt.
struct CredentialHelperTests {
    /// git's environment with one `credential.helper` configured, and no system or user config.
    static func environment(helper: String, home: URL) -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "credential.helper", "GIT_CONFIG_VALUE_0": helper,
        ]
    }

    @Test func aStoredCredentialComesBackForItsHostOnly() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("credential-helper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let store = home.appendingPathComponent("credentials")
        try "https://x-access-token:helper-secret-41@git.example.org\n".write(to: store, atomically: true, encoding: .utf8)
        let environment = Self.environment(helper: "store --file=\(store.path)", home: home)

        let found = FetchCredentials.helperCredentials(for: "https://git.example.org/course/alice.git", environment: environment)
        #expect(found?.username == "x-access-token")
        #expect(found?.password == "helper-secret-41")
        #expect(FetchCredentials.helperCredentials(for: "https://other.example.org/alice.git", environment: environment) == nil)
    }

    @Test func aHelperWithNothingToGiveIsNoCredentialsNotAPrompt() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("credential-helper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = Self.environment(helper: "store --file=\(home.appendingPathComponent("empty").path)", home: home)
        #expect(FetchCredentials.helperCredentials(for: "https://git.example.org/alice.git", environment: environment) == nil)
    }
}
