import Foundation
import Grading

/// Shared helpers for the sandbox tests: a probe done once, a scratch directory, and `/bin/sh`
/// scripts as the untrusted programs.
enum SandboxFixture {
    /// Whether bubblewrap works here (probed once per test process).
    static let availability = Sandbox.probe()

    /// A `/bin/sh -c script` command.
    static func shell(_ script: String, _ extra: (inout SandboxedCommand) -> Void = { _ in }) -> SandboxedCommand {
        var command = SandboxedCommand(executable: "/bin/sh", arguments: ["-c", script])
        extra(&command)
        return command
    }

    /// A policy with short limits so failing tests end quickly.
    static func policy(_ adjust: (inout SandboxPolicy) -> Void = { _ in }) -> SandboxPolicy {
        var policy = SandboxPolicy(cpuSeconds: 5, wallClock: .seconds(20), outputBytes: 64 * 1024)
        adjust(&policy)
        return policy
    }

    /// Creates a fresh directory and removes it after `body`.
    static func withScratchDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-sandbox-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// True if some process on the host has `marker` in its command line.
    static func processExists(withArgument marker: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard entry.allSatisfy(\.isNumber), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else {
                return false
            }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }
    }
}

extension SandboxOutcome {
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
