import Foundation
import Grading
import Testing

/// The cgroup of a run limits all its processes together, and its scratch space is a capped tmpfs.
@Suite(.serialized, .enabled("needs the sandbox and writable cgroups (root)") {
    SandboxFixture.availability.isAvailable && geteuid() == 0 && FileManager.default.isWritableFile(atPath: "/sys/fs/cgroup/memory")
        || FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") && geteuid() == 0
})
struct CgroupSandboxTests {
    /// Four children of 400 MB each: every one is under the per-process limit, together they are not.
    static let forkingHog = """
        #include <stdlib.h>
        #include <string.h>
        #include <sys/wait.h>
        #include <unistd.h>
        int main(void) {
            for (int i = 0; i < 4; i++) {
                if (fork() == 0) {
                    char *p = malloc(400u << 20);
                    if (!p) return 2;
                    memset(p, 1, 400u << 20);
                    sleep(5);
                    return 0;
                }
            }
            int status, failed = 0;
            while (wait(&status) > 0) if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
            return failed ? 3 : 0;
        }
        """

    @Test func forkedProcessesTogetherPastTheLimitAreKilledAndNamed() throws {
        try SandboxFixture.withScratchDirectory { directory in
            let source = directory.appendingPathComponent("hog.c")
            let binary = directory.appendingPathComponent("hog")
            try Self.forkingHog.write(to: source, atomically: true, encoding: .utf8)
            let cc = Process()
            cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
            cc.arguments = [source.path, "-o", binary.path]
            try cc.run()
            cc.waitUntilExit()
            try #require(cc.terminationStatus == 0)
            let command = SandboxedCommand(
                executable: "/sandbox/hog", readOnlyBinds: [(host: binary.path, sandbox: "/sandbox/hog")])
            let outcome = try Sandbox().run(command, policy: SandboxFixture.policy { $0.memoryBytes = 1 << 30 })
            #expect(outcome.cgroupLimited)
            #expect(outcome.termination == .memoryLimitExceeded, "\(outcome.termination)")
            #expect((outcome.groupPeakMemoryBytes ?? 0) <= (1 << 30) + (16 << 20))
        }
    }

    @Test func scratchSpaceIsACappedTmpfsNotTheHostDisk() throws {
        let outcome = try Sandbox().run(
            SandboxFixture.shell("dd if=/dev/zero of=/tmp/fill bs=1M count=32 2>&1; echo status=$?"),
            policy: SandboxFixture.policy { $0.scratchBytes = 4 << 20 })
        #expect(outcome.stdoutText.contains("No space left on device"), "\(outcome.stdoutText)")
        #expect(!outcome.stdoutText.contains("status=0"))
    }

    @Test func nothingIsLeftInTheGroupAfterTheRun() throws {
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/memory")) ?? [])
        let outcome = try Sandbox().run(
            SandboxFixture.shell("setsid sleep 300 & echo started"), policy: SandboxFixture.policy())
        #expect(outcome.stdoutText == "started\n")
        #expect(!SandboxFixture.processExists(withArgument: "sleep 300"))
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/memory")) ?? [])
        #expect(after.subtracting(before).filter { $0.hasPrefix("turnstile-") }.isEmpty, "the run's cgroup was removed")
    }
}
