/// Renders one submission as plain text a student can read.
struct FeedbackText {
    /// Traces longer than this are cut, with a note saying how much was left out.
    static let traceLineLimit = 60
    /// Lines of the student's own output shown per check.
    static let outputLineLimit = 20

    var detail: SubmissionDetail
    var includeHiddenTraces: Bool

    func render() -> String {
        let s = detail.submission
        var lines: [String] = []
        lines.append(
            "Feedback on \(detail.assignmentTitle) (\(s.assignmentID)) for \(detail.studentName) (\(s.studentID))")
        lines.append("")
        if let commit = s.commitID {
            let committed = s.commitTime.map { "committed \(DateText.format($0)), " } ?? ""
            lines.append("Commit:  \(commit) (\(committed)fetched \(DateText.format(s.fetchedAt)))")
        } else {
            lines.append("Commit:  none (fetched \(DateText.format(s.fetchedAt)))")
        }
        lines.append("Checks:  version \(s.checksVersion), graded \(DateText.format(s.gradedAt))")
        lines.append("Status:  \(s.status.explanation)")
        if !s.statusDetail.isEmpty { lines += indent(s.statusDetail, by: 9) }
        lines.append("Score:   \(ScoreText.format(detail.finalScore)) / \(ScoreText.format(s.maxScore))  \(scoreNote)")
        guard !s.checks.isEmpty else { return (lines + [""]).joined(separator: "\n") }
        lines.append("")
        lines.append("Checks")
        for check in s.checks { lines += describe(check) }
        return (lines + [""]).joined(separator: "\n")
    }

    private var scoreNote: String {
        let s = detail.submission
        if let override = detail.override {
            let computed = GradeRow.finalScore(rawScore: s.score, latePenalty: s.latePenalty, override: nil)
            let reason = override.reason.isEmpty ? "" : ": \(override.reason)"
            return "(set by \(override.by)\(reason); computed score \(ScoreText.format(computed)))"
        }
        if s.latePenalty > 0 {
            return "(checks \(ScoreText.format(s.score)), late penalty -\(ScoreText.format(s.latePenalty)))"
        }
        return ""
    }

    func describe(_ c: CheckResultRecord) -> [String] {
        let hidden = c.visibility == .hidden ? ", hidden" : ""
        let points = c.maxPoints == 0
            ? "not scored"
            : "\(ScoreText.format(c.points)) / \(ScoreText.format(c.maxPoints)) points"
        var lines = [
            "  [\(c.outcome.rawValue)] \(c.title) (\(c.checkID)\(hidden)): "
                + "\(points), \(ScoreText.format((c.durationSeconds * 100).rounded() / 100)) s"
        ]
        if !c.message.isEmpty { lines += indent(c.message, by: 6) }
        if c.maxPoints == 0, c.outcome != .passed, c.outcome != .skipped {
            lines.append("      Not scored: a run on real threads depends on how the machine interleaved them, so it")
            lines.append("      costs no points; it is still a run of your code that went wrong, and your instructor sees it.")
        }
        if let property = c.property, c.outcome != .passed { lines.append("      Property broken: \(property)") }
        let showDetails = c.visibility == .public || includeHiddenTraces
        if let seed = c.seed, c.outcome == .failed, showDetails {
            let hex = "0x" + String(seed, radix: 16)
            lines.append(c.visibility == .public
                ? "      Replay: turnstile test \(c.checkID) --replay \(hex)"
                : "      Seed: \(hex) (hidden check; replays the same schedule)")
        }
        if let output = c.studentOutput, !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !showDetails {
            // What a hidden check hands the student's code (its inputs) would show in what the
            // code prints: a student could print every argument and read the hidden checks.
            lines.append("      (what your code printed during a hidden check is not shown)")
        } else if let output = c.studentOutput, !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let outputLines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.append("      Your code printed (not a verdict):")
            lines += outputLines.prefix(Self.outputLineLimit).map { "      | " + $0 }
            if outputLines.count > Self.outputLineLimit {
                lines.append("      | … \(outputLines.count - Self.outputLineLimit) more lines")
            }
        }
        if let trace = c.trace, !trace.isEmpty {
            if showDetails {
                let traceLines = trace.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines.append("      Trace:")
                lines += traceLines.prefix(Self.traceLineLimit).map { "        " + $0 }
                if traceLines.count > Self.traceLineLimit {
                    lines.append("        … \(traceLines.count - Self.traceLineLimit) more lines")
                }
            } else {
                lines.append("      (trace of a hidden check not shown)")
            }
        }
        return lines
    }

    private func indent(_ text: String, by width: Int) -> [String] {
        let pad = String(repeating: " ", count: width)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }
    }
}
