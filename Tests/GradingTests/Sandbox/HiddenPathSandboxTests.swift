import Foundation
import Testing
@testable import Grading

/// The sandbox shows the host by allowlist: the course, its cache, the gradebook's directory and
/// every other host directory are absent, yet the checks executable (which lives in the cache)
/// is bound at a fixed sandbox path.
@Suite(.serialized, .enabled(if: SandboxFixture.availability.isAvailable, "bubblewrap is not usable here"))
struct HiddenPathSandboxTests {
    let sandbox = Sandbox()

    @Test func aDirectoryOffTheAllowlistIsAbsentInsideWhileAFileBoundFromItStaysReadable() throws {
        // Outside /tmp, which the sandbox replaces anyway.
        let directory = URL(fileURLWithPath: "/var/tmp/turnstile-hidden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let secret = directory.appendingPathComponent("gradebook.sqlite")
        try "grades".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        let tool = directory.appendingPathComponent("tool.txt")
        try "bound".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tool.path)

        let script = "cat \(secret.path) 2>/dev/null || echo hidden; cat /sandbox/bin/tool.txt"
        let visible = try sandbox.run(
            SandboxFixture.shell(script) { $0.readOnlyBinds = [(host: tool.path, sandbox: "/sandbox/bin/tool.txt")] },
            policy: SandboxFixture.policy())
        #expect(visible.stdoutText == "hidden\nbound", "off the allowlist, even a world-readable file is absent: \(visible.stdoutText)")

        let hidden = try sandbox.run(
            SandboxFixture.shell(script) {
                $0.readOnlyBinds = [(host: tool.path, sandbox: "/sandbox/bin/tool.txt")]
                $0.hiddenPaths = [directory.path]
            },
            policy: SandboxFixture.policy())
        #expect(hidden.stdoutText == "hidden\nbound", "\(hidden.stdoutText)")
    }

    @Test func onlyTheSystemAndTheSwiftRuntimeAreMounted() throws {
        let script = """
            for p in /work /root /home /srv /var /mnt /opt/swift/usr/bin/swiftc /etc/shadow /etc/hostname; do
              [ -e "$p" ] && echo "visible $p"; done
            ls /opt/swift/usr/lib/swift/linux/libswiftCore.so >/dev/null 2>&1 && echo runtime
            echo done
            """
        let outcome = try sandbox.run(SandboxFixture.shell(script), policy: SandboxFixture.policy())
        let expectRuntime = FileManager.default.fileExists(atPath: "/opt/swift/usr/lib/swift/linux/libswiftCore.so")
        #expect(outcome.stdoutText == (expectRuntime ? "runtime\ndone\n" : "done\n"), "\(outcome.stdoutText)")
    }
}
