import Foundation
import Testing
@testable import Grading

#if canImport(Glibc)
    import Glibc
#endif

/// A trusted tool stopped at its limit takes every process it started with it. SwiftPM's build
/// engine starts each compiler job in a process group of its own, so killing `swift build`'s
/// group once left jobs compiling, and writing objects into the workspace after the next
/// student's files were installed. Here bash's job control plays the build engine.
@Suite(.serialized)
struct ToolRunnerTests {
    /// Runs `bash` with a background job in a process group of its own and returns the
    /// session (bash's pid) and the job's pid, once the runner returned.
    func runWithJob(_ runner: (String) throws -> Void) throws -> (session: pid_t, job: pid_t) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try runner("set -m; echo $$ > \(directory.path)/session; (sleep 60; true) & echo $! > \(directory.path)/job; wait")
        func read(_ name: String) throws -> pid_t {
            try #require(pid_t(String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return (try read("session"), try read("job"))
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    @Test func aStoppedToolTakesEveryProcessOfItsSessionWithIt() throws {
        var timedOut = false
        let (session, job) = try runWithJob { script in
            timedOut = try ToolRunner.run("/bin/bash", ["-c", script], timeout: 1).timedOut
        }
        #expect(timedOut)
        #expect(!Self.isAlive(job), "the job in its own process group was killed before the run returned")
        #expect(ProcessRunner.sessionMembers(session).isEmpty)

        // Killing the process group alone, as before, leaves the job running.
        let (_, survivor) = try runWithJob { script in
            _ = try ProcessRunner(
                executable: "/bin/bash", arguments: ["bash", "-c", script], environment: ["PATH=/usr/bin:/bin"], stdin: nil,
                workingDirectory: nil, outputLimit: 1 << 16, wallClock: .seconds(1), killProcessGroup: true
            ).run()
        }
        #expect(Self.isAlive(survivor), "a process group kill does not reach a job in a group of its own")
        kill(-survivor, SIGKILL)  // the job leads its own group: it and its sleep
    }
}
