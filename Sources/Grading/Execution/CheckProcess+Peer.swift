import CheckKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The student's program of a process assignment while one peer check runs: started in its own
/// sandbox with the bootstrap socket, stopped when the peer is done.
final class ProgramRun: @unchecked Sendable {
    // Safety: `pid` and `outcome` are written once by the starting thread and read only after
    // `started`/`finished` are signalled.
    /// The peer's end of the bootstrap socket.
    let peerEnd: Int32
    /// The program's end (closed here once the program holds it).
    private var programEnd: Int32
    private let stopRead: Int32
    private var stopWrite: Int32
    private let started = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// The outermost process of the program's sandbox, once started.
    private(set) var pid: Int32 = 0
    private(set) var outcome: SandboxOutcome?
    private(set) var failure: Error?
    /// The host directory that is the program's `/dev/shm`, told to the peer: a fresh one per
    /// run (on the host's `/dev/shm`, so what the program stores there is charged to its memory
    /// limit) when sandboxed, `/dev/shm` itself when not.
    private(set) var sharedDirectory = "/dev/shm"
    private var ownsSharedDirectory = false

    init() throws {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw SandboxError.spawnFailed(call: "socketpair", errno: errno)
        }
        peerEnd = pair[0]
        programEnd = pair[1]
        (stopRead, stopWrite) = try SpawnExtensions.closeOnExecPipe()
    }

    /// Starts `program` on its own thread and waits until it has started (or failed to).
    func start(_ program: URL, isolation: CheckProcess.Isolation, policy: SandboxPolicy) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-program-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var command: SandboxedCommand
        let environment = CheckProcess.runEnvironment
        switch isolation {
        case .sandbox(_, let hiddenPaths):
            sharedDirectory = "/dev/shm/turnstile-run-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: sharedDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            ownsSharedDirectory = true
            command = SandboxedCommand(
                executable: "/sandbox/bin/program", readOnlyBinds: [(host: program.path, sandbox: "/sandbox/bin/program")],
                writableBinds: [(host: scratch.path, sandbox: "/sandbox/scratch"), (host: sharedDirectory, sandbox: "/dev/shm")],
                hiddenPaths: hiddenPaths,
                workingDirectory: "/sandbox/scratch", environment: environment)
            // Instances of one program see the same system files: no locks or notifications on
            // them, or two instances could signal each other past the grader (see SyscallFilter).
            command.syscallFilter = .fileLocksAndNotifications
        case .none:
            command = SandboxedCommand(
                executable: program.path, workingDirectory: scratch.path,
                environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
        }
        command.passedDescriptor = programEnd
        command.stopDescriptor = stopRead
        command.onStart = { [self] pid in
            self.pid = pid
            started.signal()
        }
        let sendableCommand = command
        Thread.detachNewThread { [self] in
            do {
                switch isolation {
                case .sandbox(let sandbox, _): outcome = try sandbox.run(sendableCommand, policy: policy)
                case .none: outcome = try Sandbox.runUnsandboxed(sendableCommand, policy: policy)
                }
            } catch {
                failure = error
            }
            try? FileManager.default.removeItem(at: scratch)
            started.signal()  // in case it never started
            finished.signal()
        }
        started.wait()
        if pid == 0 { finished.wait() }
        close(programEnd)
        programEnd = -1
        if let failure { throw failure }
    }

    /// What the program left in its own `/dev/shm` (shared-memory objects, named semaphores),
    /// sorted; empty when unsandboxed, where `/dev/shm` is the machine's.
    func leftovers() -> [String] {
        guard ownsSharedDirectory else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: sharedDirectory)) ?? []).sorted()
    }

    /// Stops the program (if it still runs) and waits until its sandbox is gone.
    func stop() -> SandboxOutcome? {
        if stopWrite >= 0 {
            close(stopWrite)
            stopWrite = -1
            if pid != 0 { finished.wait() }
        }
        return outcome
    }

    deinit {
        _ = stop()
        if ownsSharedDirectory { try? FileManager.default.removeItem(atPath: sharedDirectory) }
        close(peerEnd)
        close(stopRead)
        if programEnd >= 0 { close(programEnd) }
    }
}

extension CheckProcess {
    /// One peer check: the program in its sandbox (or two instances of it, each in its own),
    /// the peer beside it (see ``run(checkID:executable:replay:extraArguments:wallSeconds:counterpart:counterpartInstances:)``).
    func runPeer(checkID: String, peer: URL, program: URL, instances: Int, extraArguments: [String], policy: SandboxPolicy) throws -> Result {
        let run = try ProgramRun()
        var programPolicy = policy
        // The peer's end closes the program's run; its own wall clock is only a backstop.
        programPolicy.wallClock = policy.wallClock + .seconds(30)
        try run.start(program, isolation: isolation, policy: programPolicy)
        // A second instance: its own sandbox, /dev/shm and bootstrap socket; nothing shared with
        // the first but what the peer hands both.
        let second = instances > 1 ? try ProgramRun() : nil
        try second?.start(program, isolation: isolation, policy: programPolicy)
        var (result, _) = try runOnce(
            checkID: checkID, executable: peer, replay: nil, extraArguments: extraArguments, policy: policy, peerOf: run, alsoOf: second)
        let secondOutcome = second?.stop()
        let programOutcome = run.stop()
        let printed = [programOutcome, secondOutcome].compactMap { $0 }.map {
            Self.joinOutput(
                stdout: String(decoding: $0.stdout.suffix(8 << 10), as: UTF8.self),
                stderr: String(decoding: $0.stderr.suffix(8 << 10), as: UTF8.self))
        }.filter { !$0.isEmpty }
        result.studentOutput = printed.joined(separator: "\n")
        // After every run in which the program ended by itself: whatever is left in its
        // /dev/shm outlived it. (A program the grader stopped had no chance to clean up.)
        var left = run.leftovers()
        if let second, case .exited? = secondOutcome?.termination { left += second.leftovers() }
        if result.verdict == .passed, case .exited? = programOutcome?.termination, !left.isEmpty {
            result.verdict = .failed
            result.message = "your program ended but left \(left.map { "/" + $0 }.joined(separator: ", ")) in /dev/shm: unlink every shared-memory object (shm_unlink) and named semaphore (sem_unlink) you create before the program ends"
            result.record?.passed = false
            result.record?.failureKind = "peer"
            result.record?.property = .resourceLeaks
        }
        let peaks = [programOutcome, secondOutcome].compactMap { $0.flatMap { $0.groupPeakMemoryBytes ?? $0.peakMemoryBytes } }
        result.peakMemoryBytes = peaks.max()
        // A program the machine's OOM killer killed (not at its own limit) says nothing about
        // the code: whatever the peer made of its end, the check is incomplete.
        if result.verdict != .passed, [programOutcome, secondOutcome].contains(where: { $0?.termination == .killedFromOutside }) {
            result.verdict = .incomplete
            result.message = "your program was killed by the machine's out-of-memory killer, not at its memory limit (the grader's machine ran out of memory); this says nothing about your code, and the check will be run again"
            return result
        }
        for (index, outcome) in [programOutcome, secondOutcome].enumerated() where result.verdict == .failed {
            guard let outcome else { continue }
            let which = second == nil ? "your program" : index == 0 ? "your first program" : "your second program"
            switch outcome.termination {
            case .memoryLimitExceeded:
                result.message += " (\(which) was killed: over the memory limit of \(programPolicy.memoryBytes >> 20) MiB)"
            case .signaled(SIGXCPU):
                result.message += " (\(which) was killed: it used all \(programPolicy.cpuSeconds) s of CPU time it is given)"
            case .signaled(let signal) where signal != SIGKILL:
                result.message += "\n" + Self.crashMessage(signal: signal, stderr: String(decoding: outcome.stderr.suffix(8 << 10), as: UTF8.self))
            default:
                break
            }
        }
        return result
    }

    /// The exit status with which a peer says its wait passed its safety limit while the
    /// program was neither done nor provably stuck: the machine, not the program, is suspected.
    static let peerIncompleteStatus: Int32 = 3

    /// A peer's verdict: only its record counts; anything else is the grader's problem.
    static func judgePeer(_ result: Result, outcome: SandboxOutcome, valid: Bool, record: CheckRunRecord?) -> Result {
        var result = result
        result.crashReport = nil
        if takeRecord(&result, outcome: outcome, valid: valid, record: record) { return result }
        switch outcome.termination {
        case .exited(peerIncompleteStatus), .timedOut:
            result.verdict = .incomplete
            result.message = "the grader's peer waited past its safety limit while your program was still running (neither done nor stuck): the machine was too busy; this says nothing about your code, and the check will be run again"
        default:
            result.verdict = .error
            // `run` tries such a peer once more and, ended so again, makes it incomplete.
            result.message = "the grader's peer ended (\(outcome.termination)) without a verdict: the grader's problem, not your code's; the check will be run again"
        }
        return result
    }
}
