import Foundation
import Grading
import Testing

/// How the grader judges a peer check's process, with stand-in scripts for the peer and the
/// student's program: only the peer's record is a verdict; a peer that says its wait ran out
/// is incomplete, one that ends without a record twice is incomplete too; either way the program
/// is stopped when the peer ends.
struct PeerCheckProcessTests {
    /// Writes an executable shell script and returns its URL.
    static func script(_ body: String, in directory: URL, name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    func judge(peer: String) throws -> (CheckProcess.Result, leftBehind: Bool) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The program: prints something (the student's own output) and would sleep for minutes;
        // its shell's command line names this test's directory.
        let marker = directory.lastPathComponent
        // It marks when it has printed, so a peer can wait for that instead of racing it.
        let printed = directory.appendingPathComponent("printed").path
        let program = try Self.script("echo 'PASS everything'; touch '\(printed)'; sleep 300", in: directory, name: "program")
        let peerScript = try Self.script(peer.replacingOccurrences(of: "PRINTED", with: printed), in: directory, name: "peer")
        let process = CheckProcess(isolation: .none, policy: SandboxPolicy(cpuSeconds: 10, wallClock: .seconds(30), outputBytes: 1 << 16))
        let result = try process.run(checkID: "some-check", executable: peerScript, counterpart: program)
        // A killed process may take a moment to be reaped; one left running would stay 300 s.
        var leftBehind = Self.processExists(withArgument: marker)
        for _ in 0..<50 where leftBehind {
            usleep(100_000)
            leftBehind = Self.processExists(withArgument: marker)
        }
        return (result, leftBehind)
    }

    static func processExists(withArgument argument: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard Int32(entry) != nil, let line = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8) else { return false }
            return line.contains(argument)
        }
    }

    @Test func aPeerWhoseWaitRanOutIsIncompleteAndTheProgramIsStopped() throws {
        // The peer ends only once the program has printed (on a loaded machine the program may
        // not have run at all when a peer that ends at once stops it).
        let (result, leftBehind) = try judge(peer: "cat > /dev/null; while [ ! -e 'PRINTED' ]; do sleep 0.05; done; exit 3")
        #expect(result.verdict == .incomplete, "\(result.message)")
        #expect(!leftBehind, "the program is stopped when the peer ends")
        #expect(result.studentOutput.contains("PASS everything"), "what the program printed is the student's output")
    }

    /// A peer is grader code: one that ends without a record (killed by the machine, a grader
    /// bug) is tried once more, and ended so again the check is incomplete — never a failure,
    /// and never points lost the student cannot get back.
    @Test func aPeerWithoutARecordIsRunAgainThenIncompleteNeverAFailure() throws {
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent("peer-runs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: runs) }
        let (result, leftBehind) = try judge(peer: "echo run >> '\(runs.path)'; cat > /dev/null; echo 'looks like a pass' >&4; exit 0")
        #expect(result.verdict == .incomplete, "\(result.message)")
        #expect(result.message.contains("grader") && result.message.contains("twice without a verdict"), "\(result.message)")
        #expect(try String(contentsOf: runs, encoding: .utf8).split(separator: "\n").count == 2, "once more, not more")
        #expect(!leftBehind)

        // Killed once by something outside, then it judges: the second run's verdict counts.
        let again = FileManager.default.temporaryDirectory.appendingPathComponent("peer-again-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: again) }
        let (recovered, _) = try judge(peer: """
            read nonce
            if [ ! -e '\(again.path)' ]; then touch '\(again.path)'; kill -KILL $$; fi
            printf '{"check":"some-check","title":"","passed":false,"message":"lost a message","nonce":"%s","schedules":1,"decisions":0,"durationSeconds":0,"strategy":"peer"}' "$nonce" >&4
            exit 1
            """)
        #expect(recovered.verdict == .failed && recovered.message.contains("lost a message"), "\(recovered.verdict): \(recovered.message)")
    }

    /// After a run in which the program ended by itself, anything left in its own `/dev/shm`
    /// outlived it: the peer's pass becomes a failure under "no leaked resources"; a program
    /// that leaves nothing keeps the pass. (In the sandbox, where `/dev/shm` is the run's own.)
    @Test(arguments: [true, false]) func whatAProgramLeavesInItsSharedMemoryIsALeak(leaves: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = try Self.script(leaves ? "touch /dev/shm/ring-left; exit 0" : "exit 0", in: directory, name: "program")
        // The peer: waits until the program has ended, then passes the check.
        let peer = try Self.script(
            """
            read nonce
            pid=""; previous=""
            for word in "$@"; do [ "$previous" = "--counterpart-pid" ] && pid="$word"; previous="$word"; done
            while [ -e "/proc/$pid/stat" ]; do sleep 0.05; done
            printf '{"check":"some-check","title":"","passed":true,"message":"","nonce":"%s","schedules":1,"decisions":0,"durationSeconds":0,"strategy":"peer"}' "$nonce" >&4
            """, in: directory, name: "peer")
        let process = CheckProcess(
            isolation: .sandbox(Sandbox(), hiddenPaths: []), policy: SandboxPolicy(cpuSeconds: 10, wallClock: .seconds(30), outputBytes: 1 << 16))
        let result = try process.run(checkID: "some-check", executable: peer, counterpart: program)
        if leaves {
            #expect(result.verdict == .failed, "\(result.message)")
            #expect(result.message.contains("/ring-left"), "\(result.message)")
            #expect(CheckProcess.property(of: result) == "no leaked resources")
        } else {
            #expect(result.verdict == .passed, "\(result.message)")
        }
    }

    /// A check with two instances of the program (`"programs": 2`) starts each in a sandbox of
    /// its own: the peer gets two pids, two shared directories and the second bootstrap socket
    /// on descriptor 6; what one instance writes in its `/tmp` or `/dev/shm` the other never
    /// sees (the covert-channel assignment's premise: nothing is shared but what the peer runs).
    /// Unsandboxed, the same programs do see each other, so the test can fail.
    @Test(arguments: [true, false]) func twoInstancesShareNothingInTheSandbox(sandboxed: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Each instance marks itself in /tmp and /dev/shm, waits for the peer's "go", and then
        // says in /dev/shm whether it saw the other's marks; it removes its marks before ending.
        let program = try Self.script(
            """
            me=$(cat /proc/sys/kernel/random/uuid)
            touch "/tmp/mark.$me" "/dev/shm/ready.$me"
            while [ ! -e /dev/shm/go ]; do sleep 0.05; done
            [ "$(ls /tmp | grep -c '^mark[.]')" -gt 1 ] && touch "/dev/shm/saw-other.$me"
            sleep 0.5
            rm -f "/tmp/mark.$me" "/dev/shm/ready.$me"
            """, in: directory, name: "program")
        let peer = try Self.script(
            """
            read nonce
            first=""; second=""; one=""; two=""; previous=""
            for word in "$@"; do
              case "$previous" in
                --counterpart-pid) first="$word";; --second-counterpart-pid) second="$word";;
                --shared-directory) one="$word";; --second-shared-directory) two="$word";;
              esac
              previous="$word"
            done
            verdict=true; why=""
            [ -n "$second" ] && [ "$first" != "$second" ] || { verdict=false; why="no second pid"; }
            [ -S /proc/$$/fd/6 ] || { verdict=false; why="$why; descriptor 6 is not a socket"; }
            until [ "$(ls "$one" | grep -c '^ready')" -ge 1 ] && [ "$(ls "$two" | grep -c '^ready')" -ge 1 ]; do sleep 0.05; done
            sleep 0.2
            touch "$one/go" "$two/go"
            sleep 0.3
            if ls "$one" "$two" | grep -q '^saw-other'; then verdict=false; why="$why; an instance saw the other's files"; fi
            rm -f "$one/go" "$two/go" "$one"/saw-other.* "$two"/saw-other.*
            while [ -e "/proc/$first/stat" ] || [ -e "/proc/$second/stat" ]; do sleep 0.05; done
            printf '{"check":"some-check","title":"","passed":%s,"message":"%s","nonce":"%s","schedules":1,"decisions":0,"durationSeconds":0,"strategy":"peer"}' "$verdict" "$why" "$nonce" >&4
            [ "$verdict" = true ]
            """, in: directory, name: "peer")
        let policy = SandboxPolicy(cpuSeconds: 10, wallClock: .seconds(30), outputBytes: 1 << 16)
        let process = CheckProcess(isolation: sandboxed ? .sandbox(Sandbox(), hiddenPaths: []) : .none, policy: policy)
        let result = try process.run(checkID: "some-check", executable: peer, counterpart: program, counterpartInstances: 2)
        if sandboxed {
            #expect(result.verdict == .passed, "\(result.message)")
        } else {
            // Unsandboxed both use the machine's /tmp and /dev/shm: each sees the other.
            #expect(result.verdict == .failed, "\(result.message)")
            #expect(result.message.contains("saw the other"), "\(result.message)")
        }
    }
}
