extension String {
    /// The first non-empty line, for a one-line summary of a message (triage, JUnit attributes).
    var firstLine: String {
        String(split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }
}
