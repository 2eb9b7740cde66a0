import Foundation
import Grading
import Testing

@Suite(.serialized) struct UnsandboxedRunTests {
    @Test func reportsExitOutputAndWorkingDirectory() throws {
        let command = SandboxedCommand(executable: "/bin/sh", arguments: ["-c", "pwd; cat; exit 3"], workingDirectory: "/usr", stdin: Data("in".utf8))
        let outcome = try Sandbox.runUnsandboxed(command, policy: SandboxFixture.policy())
        #expect(outcome.termination == .exited(3))
        #expect(outcome.stdoutText == "/usr\nin")
    }

    @Test func timeoutKillsTheProcessGroup() throws {
        let marker = "32\(Int.random(in: 100_000...999_999))"
        let command = SandboxFixture.shell("sleep \(marker) & sleep \(marker)")
        let outcome = try Sandbox.runUnsandboxed(command, policy: SandboxFixture.policy { $0.wallClock = .milliseconds(300) })
        #expect(outcome.termination == .timedOut)
        Thread.sleep(forTimeInterval: 0.2)  // SIGKILL is delivered asynchronously to the background child
        #expect(!SandboxFixture.processExists(withArgument: marker))
    }

    @Test func limitsStillApply() throws {
        let spin = try Sandbox.runUnsandboxed(SandboxFixture.shell("while :; do :; done"), policy: SandboxFixture.policy { $0.cpuSeconds = 1 })
        #expect(spin.termination == .signaled(24))
        let chatty = try Sandbox.runUnsandboxed(SandboxFixture.shell("yes"), policy: SandboxFixture.policy { $0.outputBytes = 1000 })
        #expect(chatty.termination == .outputLimitExceeded && chatty.stdout.count == 1000)
    }
}
