/// Whether this machine can run programs in the bubblewrap sandbox, and if not, how to fix it.
public enum SandboxAvailability: Sendable, Hashable, CustomStringConvertible {
    /// bubblewrap works; the associated value is its version line.
    case available(version: String)
    /// No `bwrap` executable was found.
    case missingBubblewrap(install: String)
    /// A helper the sandbox needs (`setpriv` or `prlimit`) was not found.
    case missingTool(name: String, install: String)
    /// `bwrap` is installed but could not start a sandbox; the associated value is its stderr.
    case bubblewrapFails(stderr: String)

    /// True when sandboxed runs will work.
    public var isAvailable: Bool {
        if case .available = self { return true }
        return false
    }

    /// What was found and, if the sandbox is unusable, what to do.
    public var description: String {
        switch self {
        case .available(let version):
            return "sandbox available (\(version))"
        case .missingBubblewrap(let install):
            return "bubblewrap (bwrap) is not installed; install it with: \(install)"
        case .missingTool(let name, let install):
            return "\(name) is not installed; install it with: \(install)"
        case .bubblewrapFails(let stderr):
            return "bubblewrap is installed but cannot create a sandbox here: \(stderr). "
                + "It needs root, or unprivileged user namespaces "
                + "(sysctl kernel.unprivileged_userns_clone=1); inside a container, run it with "
                + "--privileged or a seccomp profile that allows unshare and mount."
        }
    }
}
