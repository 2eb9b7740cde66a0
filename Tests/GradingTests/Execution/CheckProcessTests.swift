import Foundation
import CheckKit
import Testing
@testable import Grading

/// How a check's run is judged from the harness's record pipe alone, and what happens when the
/// wall clock fires: the harness is stood in for by small shell scripts that speak its protocol.
@Suite(.serialized)
struct CheckProcessTests {
    /// A stand-in checks executable: reads the nonce, writes `header` to descriptor 4, then runs `body`.
    func fakeChecks(header: String, body: String, in directory: URL) throws -> URL {
        let script = directory.appendingPathComponent("checks")
        try "#!/bin/sh\ncat >/dev/null\nprintf '\(header)' >&4\n\(body)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    func process(wall: Int) -> CheckProcess {
        CheckProcess(isolation: .none, policy: SandboxPolicy(cpuSeconds: 30, wallClock: .seconds(wall)))
    }

    func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("check-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    @Test func headerLinesAreSplitFromTheRecord() {
        let (header, rest) = CheckProcess.splitHeader(Data("engine native\niterations 3\nprogress 1\nprogress 2\n{\"a\":1}".utf8))
        #expect(header.engine == "native")
        #expect(header.iterations == 3)
        #expect(header.progress == 2)
        #expect(String(decoding: rest, as: UTF8.self) == "{\"a\":1}")
    }

    /// Stopped by the wall clock twice without using its CPU time (a stand-in for a machine too
    /// busy to run it): incomplete, never charged; the second try had four times the CPU limit.
    @Test func aControlledCheckStoppedByTheWallClockIsIncompleteNotFailed() throws {
        try withDirectory { directory in
            let checks = try fakeChecks(header: "engine controlled\\n", body: "sleep 30", in: directory)
            let process = CheckProcess(isolation: .none, policy: SandboxPolicy(cpuSeconds: 1, wallClock: .seconds(1)))
            let result = try process.run(checkID: "c", executable: checks)
            #expect(result.verdict == .incomplete)
            #expect(result.wallSeconds >= 3.9 && result.wallSeconds < 10, "the confirming try had 4 × the 1 s CPU limit: \(result.wallSeconds)")
            #expect(result.message.contains("says nothing about your code"))
        }
    }

    /// Code that burns CPU is too slow whatever the load: the confirming try gives the wall
    /// clock room, the CPU limit stops it, and that is charged as too slow (not a crash, not
    /// incomplete), the same on a busy machine as on an idle one.
    @Test func aControlledCheckThatUsesUpItsCPUTimeIsTooSlow() throws {
        try withDirectory { directory in
            let checks = try fakeChecks(header: "engine controlled\\n", body: "while :; do :; done", in: directory)
            // Wall clock 3 s, so the confirming try has 12 s for 1 s of CPU: the CPU limit, not
            // the wall clock, ends it even with the test's own builds and checks sharing the cores.
            let process = CheckProcess(isolation: .none, policy: SandboxPolicy(cpuSeconds: 1, wallClock: .seconds(3)))
            let result = try process.run(checkID: "c", executable: checks)
            #expect(result.verdict == .timedOut)
            #expect(result.message.hasPrefix("too slow: the check used all 1 s of CPU time"), "\(result.message)")
            #expect(SubmissionAttempt.property(of: result) == "too slow")
        }
    }

    @Test func aNativeTimeoutIsConfirmedAtTwiceTheLimitAndNamedSlowOrStuck() throws {
        try withDirectory { directory in
            let slow = try fakeChecks(header: "engine native\\niterations 3\\nprogress 1\\n", body: "sleep 30", in: directory)
            let result = try process(wall: 1).run(checkID: "n", executable: slow)
            #expect(result.verdict == .timedOut)
            #expect(result.wallSeconds >= 1.9, "the second try had twice the limit")
            #expect(result.message.hasPrefix("too slow: 1 of 3 runs"), "\(result.message)")

            let stuck = try fakeChecks(header: "engine native\\niterations 3\\n", body: "sleep 30", in: directory)
            #expect(try process(wall: 1).run(checkID: "n", executable: stuck).message.hasPrefix("no progress"))
        }
    }

    @Test func aNativeCheckThatFinishesOnTheSecondTryIsJudgedByIt() throws {
        try withDirectory { directory in
            // First try: sleeps past the 1 s limit; second try (marker file present): exits at once
            // without a record, which is an error, not a timeout.
            let marker = directory.appendingPathComponent("tried").path
            let checks = try fakeChecks(
                header: "engine native\\n", body: "if [ -e \(marker) ]; then exit 3; fi; touch \(marker); sleep 30", in: directory)
            let result = try process(wall: 1).run(checkID: "n", executable: checks)
            #expect(result.verdict == .error)
        }
    }

    /// The gradebook's property: an assertion failure under what its check declares, a failure
    /// the engine found (a deadlock) under its own kind, whatever the check declared.
    @Test func aFailureIsRecordedUnderTheBrokenProperty() {
        func result(kind: String, property: CheckProperty?) -> CheckProcess.Result {
            var record = CheckRunRecord(check: "c", passed: false, message: "m", failureKind: kind, strategy: "random", schedules: 1, decisions: 1, trace: nil, durationSeconds: 0)
            record.property = property
            return CheckProcess.Result(
                checkID: "c", verdict: .failed, message: "m", record: record, wallSeconds: 1, peakMemoryBytes: nil,
                studentOutput: "", crashReport: nil, engine: "controlled")
        }
        #expect(SubmissionAttempt.property(of: result(kind: "assertion", property: .fairness)) == "fairness")
        #expect(SubmissionAttempt.property(of: result(kind: "assertion", property: nil)) == "assertion")
        #expect(SubmissionAttempt.property(of: result(kind: "deadlock", property: .fairness)) == "deadlock")
    }

    @Test func printedLinesNeverBecomeTheVerdictOrItsMessage() throws {
        try withDirectory { directory in
            let checks = try fakeChecks(
                header: "engine controlled\\n", body: "echo 'PASS c'; echo '[passed] 10/10' >&2; exit 0", in: directory)
            let result = try process(wall: 5).run(checkID: "c", executable: checks)
            #expect(result.verdict == .error, "exit 0 without a record with the nonce is not a pass")
            #expect(!result.message.contains("10/10"))
            #expect(result.studentOutput.contains("[passed] 10/10"))
        }
    }
}
