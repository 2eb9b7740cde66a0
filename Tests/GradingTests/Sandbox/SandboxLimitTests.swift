import Foundation
import Grading
import Testing

@Suite(.serialized, .enabled("bubblewrap sandbox is not usable on this machine") { SandboxFixture.availability.isAvailable })
struct SandboxLimitTests {
    let sandbox = Sandbox()

    @Test func fileSizeLimitStopsABigWrite() throws {
        try SandboxFixture.withScratchDirectory { scratch in
            let command = SandboxFixture.shell("head -c 3000000 /dev/zero > /sandbox/out/big; echo after") {
                $0.writableBinds = [(scratch.path, "/sandbox/out")]
            }
            let outcome = try sandbox.run(command, policy: SandboxFixture.policy { $0.fileSizeBytes = 1 << 20 })
            let size = try FileManager.default.attributesOfItem(atPath: scratch.appendingPathComponent("big").path)[.size] as? Int
            #expect(size == 1 << 20, "the file stops at the limit")
            #expect(outcome.stdoutText == "after\n", "the shell survives; head got SIGXFSZ")
        }
    }

    @Test func processLimitBoundsAForkLoop() throws {
        try #require(geteuid() == 0, "the process limit binds only the non-root sandbox user")
        // Start up to 40 background sleepers; each line is one that started.
        let script = "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); echo $i; done"
        // A user id of its own, so sandboxes running at the same time do not share the count.
        let isolated = Sandbox(userID: 64_999, groupID: 64_999)
        let outcome = try isolated.run(SandboxFixture.shell(script), policy: SandboxFixture.policy { $0.maxProcesses = 8 })
        let started = outcome.stdoutText.split(separator: "\n").count
        #expect(started >= 1, "the limit leaves room for some children")
        #expect(started < 8, "at most maxProcesses - 1 children next to the shell")
        #expect(outcome.termination == .exited(2))
        #expect(outcome.stderrText.contains("Cannot fork"))
    }

    /// Runs at the same time each get a user of their own, so one run's threads never count
    /// against another's process limit; the ids are lent back when a run ends.
    @Test func concurrentRunsGetUsersOfTheirOwn() throws {
        try #require(geteuid() == 0, "users are switched only when the grader is root")
        let lending = Sandbox(distinctUserPerRun: true)
        final class Seen: @unchecked Sendable {
            // Safety: guarded by `lock`.
            let lock = NSLock()
            var ids: [String] = []
        }
        let seen = Seen()
        // Both runs wait until the other has started, so they overlap.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let outcome = try? lending.run(SandboxFixture.shell("id -u; sleep 1"), policy: SandboxFixture.policy())
            seen.lock.withLock { seen.ids.append(outcome?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "failed") }
        }
        let ids = seen.ids.compactMap { UInt32($0) }
        #expect(ids.count == 2, "\(seen.ids)")
        #expect(Set(ids).count == 2, "overlapping runs share no user: \(ids)")
        for id in ids {
            #expect(id >= RunUsers.shared.base && id < RunUsers.shared.base + RunUsers.slots, "\(id) comes from this process's block")
        }
    }

    @Test func memoryLimitStopsAHog() throws {
        // The shell holds a 64 MB string in memory.
        let script = "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo ${#x}"
        let small = try sandbox.run(SandboxFixture.shell(script), policy: SandboxFixture.policy { $0.memoryBytes = 48 << 20 })
        #expect(small.termination != .exited(0))
        #expect(small.stdoutText.isEmpty)
        let large = try sandbox.run(SandboxFixture.shell(script), policy: SandboxFixture.policy { $0.memoryBytes = 1 << 30 })
        #expect(large.termination == .exited(0), "the same program fits under a larger limit")
        #expect(large.stdoutText == "64000000\n")
        #expect((large.peakMemoryBytes ?? 0) > 64_000_000)
    }

    @Test func cpuLimitKillsASpinner() throws {
        let outcome = try sandbox.run(SandboxFixture.shell("while :; do :; done"), policy: SandboxFixture.policy { $0.cpuSeconds = 1 })
        #expect(outcome.termination == .signaled(24), "SIGXCPU: the kernel stopped it at its CPU allowance")
        // GNU time's user+sys figure lags the kernel's RLIMIT_CPU accounting by up to a tick or so
        // under load (0.89 s was seen for a 1 s limit); the signal above is the real evidence.
        #expect((outcome.cpuSeconds ?? 0) >= 0.5)
    }

    @Test func hugeOutputIsCapped() throws {
        let outcome = try sandbox.run(SandboxFixture.shell("yes"), policy: SandboxFixture.policy { $0.outputBytes = 10_000 })
        #expect(outcome.termination == .outputLimitExceeded)
        #expect(outcome.stdout.count == 10_000)
        let small = try sandbox.run(SandboxFixture.shell("head -c 10000 /dev/zero"), policy: SandboxFixture.policy { $0.outputBytes = 10_000 })
        #expect(small.termination == .exited(0), "output exactly at the limit is fine")
        #expect(small.stdout.count == 10_000)
    }
}
