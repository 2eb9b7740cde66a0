import Foundation
import Grading
import Testing

/// The channel a check's verdict travels on: standard input is a pipe (read once, gone), and
/// the record comes back on descriptor 4, apart from anything printed.
@Suite(.serialized, .enabled("bubblewrap sandbox is not usable on this machine") { SandboxFixture.availability.isAvailable })
struct RecordPipeTests {
    let script = "cat >/dev/null; [ -p /dev/stdin ] && echo pipe-stdin; echo '{\"forged\":true}'; echo record >&4; ls /proc/self/fd | sort -n | tr '\\n' ' '"

    func command() -> SandboxedCommand {
        SandboxFixture.shell(script) {
            $0.stdin = Data("nonce".utf8)
            $0.recordPipe = true
        }
    }

    @Test func theRecordArrivesOnItsOwnPipeInTheSandbox() throws {
        let outcome = try Sandbox().run(command(), policy: SandboxFixture.policy())
        #expect(outcome.termination == .exited(0))
        #expect(String(decoding: outcome.record, as: UTF8.self) == "record\n")
        #expect(outcome.stdoutText.hasPrefix("pipe-stdin\n{\"forged\":true}\n"), "stdin is a pipe; printed text stays on stdout")
        // 0–2, the record pipe, and the descriptor `ls` opens for /proc/self/fd: nothing else.
        #expect(outcome.stdoutText.hasSuffix("0 1 2 3 4 ") || outcome.stdoutText.hasSuffix("0 1 2 4 5 "), "\(outcome.stdoutText)")
    }

    @Test func theRecordArrivesOnItsOwnPipeUnsandboxed() throws {
        let outcome = try Sandbox.runUnsandboxed(command(), policy: SandboxFixture.policy())
        #expect(outcome.termination == .exited(0))
        #expect(String(decoding: outcome.record, as: UTF8.self) == "record\n")
        #expect(outcome.stdoutText.hasPrefix("pipe-stdin\n"))
    }
}
