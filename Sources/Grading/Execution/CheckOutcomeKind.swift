import Gradebook

/// How one check's process ended, judged only from the process's exit and the harness's own
/// result record (never from what the code under test printed).
public enum CheckVerdict: String, Sendable, Codable {
    /// Clean exit 0 and a valid record that says passed.
    case passed
    /// A valid record that says failed (with the harness's message and trace).
    case failed
    /// Killed at the wall-clock limit (a native check, confirmed by a rerun at twice the limit).
    case timedOut
    /// A controlled check stopped by the wall clock before its budget of schedules ran out: the
    /// safety net fired, which says nothing about the code. An infrastructure status: no verdict,
    /// the submission is regraded.
    case incomplete
    /// Killed by a signal (a trap in the code under test, a memory limit).
    case crashed
    /// No valid record: a wrong nonce, a missing or unreadable record, an unexpected exit.
    case error
}

extension CheckVerdict {
    /// How the gradebook records this verdict.
    var outcome: CheckOutcome {
        switch self {
        case .passed: .passed
        case .failed: .failed
        case .timedOut: .timedOut
        case .incomplete: .incomplete
        case .crashed: .crashed
        case .error: .error
        }
    }
}
