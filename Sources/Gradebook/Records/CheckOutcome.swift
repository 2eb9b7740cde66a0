/// The result of running one check against one submission.
public enum CheckOutcome: String, Codable, CaseIterable, Sendable {
    /// The harness reported success and the process exited cleanly.
    case passed
    /// The harness reported a violated property (wrong result, race, deadlock, …).
    case failed
    /// The check exceeded its wall-clock or CPU limit.
    case timedOut
    /// Stopped by the grader's wall-clock safety net before its budget ran out: no verdict yet.
    case incomplete
    /// The check process died from a signal or exited without a result record.
    case crashed
    /// The grader could not run the check (harness or sandbox problem).
    case error
    /// The check did not run, for example because the build failed.
    case skipped
}

/// Whether students may see a check's details.
public enum CheckVisibility: String, Codable, CaseIterable, Sendable {
    /// A check students also run themselves; everything about it can be shown.
    case `public`
    /// A grader-only check; feedback shows its outcome and message but, by default,
    /// not its trace.
    case hidden
}
