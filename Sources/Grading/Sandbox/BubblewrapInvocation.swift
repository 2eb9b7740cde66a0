import Foundation

/// The `bwrap` command line for one sandboxed run.
///
/// Layout inside the sandbox: every top-level entry of the host's `/` mounted read-only (or
/// recreated as the same symlink) on a root that is itself read-only, so sandbox paths such as
/// `/sandbox/work` can be created for binds; a fresh `/dev` and `/proc`; private, size-capped,
/// world-writable (sticky) tmpfs at `/tmp` and `/dev/shm`; hidden paths covered by empty tmpfs;
/// then the command's binds. New PID, IPC, UTS and cgroup namespaces, and a network namespace
/// with only loopback unless the policy allows the network. The sandbox dies with the grader
/// (`--die-with-parent`) and cannot push input into the grader's terminal (`--new-session`).
///
/// As root, bubblewrap keeps only the capabilities needed to switch user. GNU `time` (if
/// installed) runs first, still as root, writing its report into a root-only directory the
/// program cannot open; `setpriv` then drops to the sandbox uid and gid with no supplementary
/// groups, empties every capability set (bounding set included) and sets `no_new_privs`, so
/// set-uid programs and file capabilities give nothing back; a constant `/bin/sh` line closes the
/// report file `time` leaves open; `prlimit` sets the rlimits last and executes the program. Without root, bubblewrap adds a user namespace, the program runs as the
/// calling user, and no report is made.
struct BubblewrapInvocation {
    /// Where the report directory appears inside the sandbox.
    static let reportMount = "/.turnstile-report"
    /// Closes descriptors 3–9, then executes its arguments.
    /// Descriptor 4, the record pipe when there is one, stays open for the program.
    static let closeInheritedDescriptors = "exec 3>&- 5>&- 6>&- 7>&- 8>&- 9>&-; exec \"$0\" \"$@\""
    /// The same, keeping descriptor 5 as well: the passed descriptor (``SandboxedCommand/passedDescriptor``),
    /// already open before `time` ran, so `time`'s report cannot be there.
    static let closeInheritedDescriptorsKeepingPassed = "exec 3>&- 6>&- 7>&- 8>&- 9>&-; exec \"$0\" \"$@\""

    var tools: SandboxTools
    var userID: UInt32
    var groupID: UInt32
    var asRoot: Bool
    /// A root-only host directory for the `time` report, or nil for no report.
    var reportDirectory: String?

    /// The arguments after `bwrap` (its status JSON goes to file descriptor 3).
    func arguments(_ command: SandboxedCommand, _ policy: SandboxPolicy) -> [String] {
        var arguments = Self.systemMounts(extraReadOnly: command.systemReadOnly)
        arguments += ["--dev", "/dev", "--proc", "/proc"]
        for path in ["/tmp", "/dev/shm"] {
            arguments += ["--perms", "1777", "--size", "\(policy.scratchBytes)", "--tmpfs", path]
        }
        for path in command.hiddenPaths where FileManager.default.fileExists(atPath: path) {
            arguments += ["--perms", "0755", "--tmpfs", path]
        }
        let binds = command.readOnlyBinds.map { ("--ro-bind", $0.host, $0.sandbox) }
            + command.writableBinds.map { ("--bind", $0.host, $0.sandbox) }
        var made = Set<String>()
        for (_, _, destination) in binds {
            // Parents a bind needs are made readable, so the sandbox user can walk down to it.
            var parent = ""
            for component in destination.split(separator: "/").dropLast() {
                parent += "/" + component
                if made.insert(parent).inserted { arguments += ["--perms", "0755", "--dir", parent] }
            }
        }
        for (option, host, destination) in binds { arguments += [option, host, destination] }
        if let reportDirectory { arguments += ["--bind", reportDirectory, Self.reportMount] }
        arguments += ["--remount-ro", "/", "--chdir", command.workingDirectory]

        if asRoot {
            arguments += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
            if !policy.network { arguments.append("--unshare-net") }
            arguments += ["--cap-drop", "ALL"]
            for capability in ["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"] { arguments += ["--cap-add", capability] }
        } else {
            arguments.append("--unshare-all")
            if policy.network { arguments.append("--share-net") }
        }
        if command.syscallFilter != nil { arguments += ["--seccomp", "\(SandboxedCommand.syscallFilterDescriptorNumber)"] }
        arguments += ["--hostname", "sandbox", "--die-with-parent", "--new-session", "--json-status-fd", "3", "--"]

        if asRoot {
            if reportDirectory != nil, let time = tools.time {
                arguments += ResourceReport.timeArguments(time, output: Self.reportMount + "/report")
            }
            arguments += [
                tools.setpriv, "--reuid", "\(userID)", "--regid", "\(groupID)", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]
        }
        if asRoot, reportDirectory != nil, tools.time != nil {
            // `time` leaves its report file open in the child; close it before the program runs.
            // The script is a constant: the program and its arguments are passed as "$0" "$@".
            arguments += [
                "/bin/sh", "-c",
                command.passedDescriptor == nil ? Self.closeInheritedDescriptors : Self.closeInheritedDescriptorsKeepingPassed,
            ]
        }
        arguments += [tools.prlimit] + policy.prlimitOptions(includingProcesses: true) + ["--", command.executable]
        return arguments + command.arguments
    }

    /// Read-only mounts of each top-level host directory (symlinks such as `/bin -> usr/bin` are
    /// recreated), leaving out what the sandbox gets fresh: `/proc`, `/dev` and `/tmp`.
    /// The directories of the system a program may see, by allowlist: `/usr` and the
    /// merged-`/usr` links (`/bin`, `/lib`, …) read-only, the few files of `/etc` a dynamically
    /// linked program reads, and the Swift runtime libraries where the toolchain keeps them.
    /// Nothing else of the host (no `/home`, `/root`, `/opt`, `/var`, `/srv`, `/work`, other
    /// checkouts or gradebooks) exists inside.
    static func systemMounts(extraReadOnly: [String]) -> [String] {
        let fileManager = FileManager.default
        var arguments: [String] = ["--ro-bind", "/usr", "/usr"]
        for name in ["bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
            let path = "/" + name
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: path) {
                arguments += ["--symlink", target, path]
            } else if fileManager.fileExists(atPath: path) {
                arguments += ["--ro-bind", path, path]
            }
        }
        for file in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group"]
        where fileManager.fileExists(atPath: file) {
            arguments += ["--ro-bind", file, file]
        }
        var made: Set<String> = []
        let wanted = [SandboxTools.swiftRuntimeLibraries].compactMap({ $0 }) + extraReadOnly
        // A path inside another wanted one (the runtime inside the toolchain) comes with it.
        let outermost = wanted.filter { path in !wanted.contains { $0 != path && path.hasPrefix($0 + "/") } }
        for path in outermost where !path.hasPrefix("/usr/") && fileManager.fileExists(atPath: path) {
            // Parents readable, so the sandbox user can walk down to the bind.
            var parent = ""
            for component in path.split(separator: "/").dropLast() {
                parent += "/" + component
                if made.insert(parent).inserted { arguments += ["--perms", "0755", "--dir", parent] }
            }
            arguments += ["--ro-bind", path, path]
        }
        return arguments
    }
}
