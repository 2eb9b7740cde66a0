import Foundation

extension Sandbox {
    /// Runs `command` directly, *without* a sandbox, under the limits that apply to one process.
    ///
    /// **Not a security boundary.** This is for a student testing their own code on their own
    /// machine: the program sees the whole file system with the caller's rights and has the
    /// network. `executable` and `workingDirectory` are host paths; binds and hidden paths are
    /// ignored. CPU, memory, file-size and core limits apply through `prlimit` when it is
    /// installed; the process limit does not (it would count all of the user's processes). The
    /// wall-clock and output limits apply: on either, the program's whole process group is
    /// killed, as are processes left in the group when the program exits (a program that starts
    /// a new session escapes this). Blocks the calling thread until the program has ended.
    /// - Parameters:
    ///   - command: The program, arguments, working directory, environment and input.
    ///   - policy: The limits (``SandboxPolicy/maxProcesses``, ``SandboxPolicy/network`` and
    ///     ``SandboxPolicy/scratchBytes`` are not applied).
    /// - Returns: How the program ended, its capped output and its resource use.
    /// - Throws: ``SandboxError/spawnFailed(call:errno:)`` if the program cannot be started.
    public static func runUnsandboxed(_ command: SandboxedCommand, policy: SandboxPolicy) throws -> SandboxOutcome {
        var arguments = [command.executable] + command.arguments
        var executable = command.executable
        if let prlimit = SandboxTools.locate("prlimit") {
            executable = prlimit
            arguments = ["prlimit"] + policy.prlimitOptions(includingProcesses: false) + ["--"] + arguments
        }
        var reportDirectory: String?
        if let time = SandboxTools.locate("time") {
            reportDirectory = try makePrivateDirectory()
            arguments = ResourceReport.timeArguments(time, output: reportDirectory! + "/report") + [executable] + arguments.dropFirst()
            executable = time
        }
        defer { if let reportDirectory { try? FileManager.default.removeItem(atPath: reportDirectory) } }
        var runner = ProcessRunner(
            executable: executable, arguments: arguments, environment: command.environmentStrings,
            stdin: command.stdin, workingDirectory: command.workingDirectory, recordPipe: command.recordPipe, outputLimit: policy.outputBytes,
            wallClock: policy.wallClock, killProcessGroup: true,
            passedDescriptor: command.passedDescriptor, secondPassedDescriptor: command.secondPassedDescriptor, stopDescriptor: command.stopDescriptor, onStart: command.onStart)
        // Every process the run starts ends with it, whatever process group it put itself in.
        runner.ownSession = true
        let result = try runner.run()
        let report = reportDirectory.flatMap { try? String(contentsOfFile: $0 + "/report", encoding: .utf8) }
            .flatMap(ResourceReport.parse)
        return outcome(result, report: report, statusHidesSignals: reportDirectory != nil)
    }
}
