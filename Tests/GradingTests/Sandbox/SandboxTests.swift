import Foundation
import Grading
import Testing

@Suite(.serialized, .enabled("bubblewrap sandbox is not usable on this machine") { SandboxFixture.availability.isAvailable })
struct SandboxTests {
    let sandbox = Sandbox()

    @Test func reportsExitCodesSignalsAndOutput() throws {
        let ok = try sandbox.run(SandboxFixture.shell("echo out; echo err >&2; exit 7"), policy: SandboxFixture.policy())
        #expect(ok.termination == .exited(7))
        #expect(ok.stdoutText == "out\n")
        #expect(ok.stderrText == "err\n")
        #expect(ok.cpuSeconds != nil && ok.peakMemoryBytes ?? 0 > 0)

        let killed = try sandbox.run(SandboxFixture.shell("kill -SEGV $$"), policy: SandboxFixture.policy())
        #expect(killed.termination == .signaled(11))
    }

    @Test func passesStandardInputAndEnvironment() throws {
        let command = SandboxFixture.shell("cat; printf ' %s' \"$GREETING\"") {
            $0.stdin = Data("hello".utf8)
            $0.environment = ["GREETING": "bonjour; rm -rf /"]
        }
        let outcome = try sandbox.run(command, policy: SandboxFixture.policy())
        #expect(outcome.termination == .exited(0))
        #expect(outcome.stdoutText == "hello bonjour; rm -rf /")
    }

    @Test func runsAsNobodyWithoutCapabilitiesOrInheritedDescriptors() throws {
        try #require(geteuid() == 0, "only a root grader switches to the sandbox user")
        let outcome = try sandbox.run(
            // `ls` (a child, with no pipe or redirection open in the shell meanwhile) lists the
            // shell's descriptors one per line after the marker.
            SandboxFixture.shell("id -u; id -g; id -G; grep CapEff /proc/self/status; echo FDS; ls /proc/$$/fd"),
            policy: SandboxFixture.policy())
        let lines = outcome.stdoutText.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(3)) == ["65534", "65534", "65534"])
        #expect(lines.count > 3 && lines[3].hasSuffix("0000000000000000"))
        let descriptors = lines.drop { $0 != "FDS" }.dropFirst().sorted()
        #expect(descriptors == ["0", "1", "2"], "no descriptor of the grader reaches the sandbox")
    }

    /// With the filter, file locks (flock, POSIX record locks), directory notification and
    /// inotify fail with EPERM (1) on a system file every sandbox sees, while other `fcntl`
    /// commands work and the filter's descriptor is gone; without it, all of them work.
    @Test(arguments: [true, false]) func syscallFilterRefusesFileLocksAndNotificationsOnly(filtered: Bool) throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 runs the probes")
        let script = """
            import ctypes, fcntl, os, signal
            # A granted directory notification signals SIGIO whenever anything on the machine
            # touches /usr/bin; its default action would end the probe.
            signal.signal(signal.SIGIO, signal.SIG_IGN)
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open("/usr/bin/env", os.O_RDONLY)
            directory = os.open("/usr/bin", os.O_RDONLY)
            def attempt(name, call):
                try:
                    call()
                    print(name, "ok")
                except OSError as error:
                    print(name, error.errno)
            def native(name, result):
                print(name, "ok" if result >= 0 else ctypes.get_errno())
            attempt("flock", lambda: fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB))
            attempt("lockf", lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB))
            attempt("notify", lambda: fcntl.fcntl(directory, fcntl.F_NOTIFY, fcntl.DN_ACCESS))
            native("inotify", libc.inotify_init1(0))
            attempt("getfd", lambda: fcntl.fcntl(fd, fcntl.F_GETFD))
            attempt("descriptor7", lambda: os.fstat(7))
            """
        var command = SandboxedCommand(executable: "/usr/bin/python3", arguments: ["-c", script])
        if filtered { command.syscallFilter = .fileLocksAndNotifications }
        let outcome = try sandbox.run(command, policy: SandboxFixture.policy())
        #expect(outcome.termination == .exited(0), "\(outcome.stderrText)")
        let expected = filtered
            ? "flock 1\nlockf 1\nnotify 1\ninotify 1\ngetfd ok\ndescriptor7 9\n"
            : "flock ok\nlockf ok\nnotify ok\ninotify ok\ngetfd ok\ndescriptor7 9\n"
        #expect(outcome.stdoutText == expected)
    }

    @Test func wallClockLimitKillsTheWholeSandbox() throws {
        let marker = "31\(Int.random(in: 100_000...999_999))"
        let policy = SandboxFixture.policy { $0.wallClock = .milliseconds(500) }
        let outcome = try sandbox.run(SandboxFixture.shell("sleep \(marker) & sleep \(marker)"), policy: policy)
        #expect(outcome.termination == .timedOut)
        #expect(outcome.wallSeconds >= 0.5 && outcome.wallSeconds < 10)
        #expect(!SandboxFixture.processExists(withArgument: marker), "background children die with the sandbox")
    }

    @Test func networkIsOnlyLoopback() throws {
        // Interfaces of the sandbox's network namespace, then a TCP connection to a non-loopback address.
        let script = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' '; exec 3<>/dev/tcp/192.0.2.1/80 && echo connected"
        let command = SandboxedCommand(executable: "/bin/bash", arguments: ["-c", script])
        let closed = try sandbox.run(command, policy: SandboxFixture.policy())
        #expect(closed.stdoutText == "lo ")
        #expect(closed.termination != .exited(0))
        #expect(closed.stderrText.contains("unreachable"))

        let open = try sandbox.run(command, policy: SandboxFixture.policy { $0.network = true; $0.wallClock = .seconds(2) })
        #expect(open.stdoutText.hasPrefix("lo ") == false || open.stdoutText.split(separator: " ").count > 1,
                "with the network allowed, the host's interfaces are visible")
    }

    @Test func cannotWriteOutsideTheWritableBind() throws {
        try SandboxFixture.withScratchDirectory { scratch in
            let writable = scratch.appendingPathComponent("rw"), readOnly = scratch.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: writable, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
            try Data("original".utf8).write(to: readOnly.appendingPathComponent("given.txt"))
            let script = """
                echo inside > /sandbox/out/result.txt && echo wrote-bind
                echo x > /sandbox/in/given.txt 2>/dev/null || echo ro-bind-refused
                echo x > \(scratch.path)/escape.txt 2>/dev/null || echo host-path-refused
                echo x > /usr/escape.txt 2>/dev/null || echo root-refused
                echo x > /tmp/private.txt && echo tmp-ok
                cat /sandbox/in/given.txt
                """
            let command = SandboxFixture.shell(script) {
                $0.readOnlyBinds = [(readOnly.path, "/sandbox/in")]
                $0.writableBinds = [(writable.path, "/sandbox/out")]
                $0.workingDirectory = "/sandbox/out"
            }
            let outcome = try sandbox.run(command, policy: SandboxFixture.policy())
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText == "wrote-bind\nro-bind-refused\nhost-path-refused\nroot-refused\ntmp-ok\noriginal")
            #expect(try String(contentsOf: writable.appendingPathComponent("result.txt"), encoding: .utf8) == "inside\n")
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("escape.txt").path))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/private.txt"))
        }
    }

    @Test func bindOfMissingHostPathIsASetupError() throws {
        let command = SandboxFixture.shell("true") { $0.readOnlyBinds = [("/nonexistent/turnstile", "/sandbox/x")] }
        #expect(throws: SandboxError.self) { try sandbox.run(command, policy: SandboxFixture.policy()) }
    }
}
