import Foundation

/// Errors of the grading pipeline that a person must act on.
public enum GradingError: Error, LocalizedError, Equatable {
    /// The course checkout was not found at this path.
    case courseNotFound(String)
    /// No assignment has this id; the known ids follow.
    case unknownAssignment(String, known: [String])
    /// The assignment's manifest is malformed.
    case invalidManifest(String, reason: String)
    /// The sandbox cannot run, so untrusted code will not be run.
    case sandboxUnavailable(String)
    /// `swift` was not found or the build tool failed to start.
    case toolchainUnavailable(String)
    /// A file could not be written or read.
    case io(String)
    /// A step of the grader's own work (the compiler's import listing) was stopped by its
    /// wall-clock safety net twice: a starved machine, not the student's code. The pipeline
    /// records the submission as incomplete, to be graded again by the next batch.
    case stalled(String)

    /// What went wrong and what to do about it, in one sentence.
    public var errorDescription: String? {
        switch self {
        case .courseNotFound(let path):
            "no Turnstile course at \(path): run turnstile from its checkout, or set TURNSTILE_HOME to the directory that holds Assignments/"
        case .unknownAssignment(let id, let known):
            "there is no assignment '\(id)'; known assignments: \(known.joined(separator: ", ")) (see `turnstile assignments list`)"
        case .invalidManifest(let id, let reason):
            "the manifest of assignment '\(id)' is invalid: \(reason); fix Assignments/\(id)/assignment.json"
        case .sandboxUnavailable(let reason):
            "the sandbox is unavailable (\(reason)); install bubblewrap (apt-get install bubblewrap) or, only for code you trust, pass --no-sandbox"
        case .toolchainUnavailable(let reason):
            "the Swift toolchain could not be run (\(reason)); put `swift` on PATH"
        case .io(let reason):
            reason
        case .stalled(let what):
            "\(what); the grader's machine is too loaded: run the batch again when it is quieter"
        }
    }
}
