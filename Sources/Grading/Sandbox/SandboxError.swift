import Foundation

/// Why a program could not be started in (or without) the sandbox.
///
/// A program that starts and then fails is not an error: that is a ``SandboxOutcome``.
public enum SandboxError: Error, Sendable, Equatable {
    /// The sandbox cannot run on this machine (see ``Sandbox/probe()``).
    case unavailable(SandboxAvailability)
    /// bubblewrap started but could not set the sandbox up; the associated value is its stderr.
    case setupFailed(String)
    /// A writable bind's host path could not be handed to the sandbox user.
    case cannotPrepareBind(path: String, message: String)
    /// The operating system refused to start the process (`posix_spawn`, `pipe`, …).
    case spawnFailed(call: String, errno: Int32)
}

extension SandboxError: LocalizedError {
    /// What went wrong, and what to do.
    public var errorDescription: String? {
        switch self {
        case .unavailable(let availability):
            return "Cannot run the program in the sandbox: \(availability)"
        case .setupFailed(let stderr):
            return "bubblewrap could not set up the sandbox: \(stderr). Check that every bind's "
                + "host path exists and that sandbox paths are absolute."
        case .cannotPrepareBind(let path, let message):
            return "Cannot give the sandbox user write access to \(path) (\(message)). Create the "
                + "directory before the run and make sure the grader owns it."
        case .spawnFailed(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code))). The machine may be out of "
                + "processes or file descriptors; retry when load is lower."
        }
    }
}
