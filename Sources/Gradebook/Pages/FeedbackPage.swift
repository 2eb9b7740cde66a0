import Plot

/// One student's submission as a self-contained HTML page: the summary, then per check its
/// status, points, the property broken, the message, the replay command (public checks), and a
/// failing schedule as a table with one column per thread — an interleaving read like a
/// sequence diagram — with buttons to step through it.
///
/// The same information as ``FeedbackText``: hidden checks' traces and what the code printed during them only with
/// `includeHiddenTraces` (instructors). Every text goes through Plot's escaping, so a student's
/// printed output or name cannot inject markup.
struct FeedbackPage {
    var detail: SubmissionDetail
    var includeHiddenTraces: Bool

    func render() -> String {
        let s = detail.submission
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .title("\(detail.assignmentTitle) — \(detail.studentName)"),
                .style(PageStyle.css)),
            .body(
                .h1(.text("Feedback on \(detail.assignmentTitle) (\(s.assignmentID))")),
                .table(
                    .class("summary"),
                    row("Student", "\(detail.studentName) (\(s.studentID))"),
                    row("Commit", s.commitID ?? "none"),
                    row("Checks", "version \(s.checksVersion), graded \(DateText.format(s.gradedAt))"),
                    row("Status", s.status.explanation + (s.statusDetail.isEmpty ? "" : ": \(s.statusDetail)")),
                    .tr(.td("Score"), .td(.id("score"), .text("\(ScoreText.format(detail.finalScore)) / \(ScoreText.format(s.maxScore))")))),
                .h2("Checks"),
                .forEach(s.checks) { check(in: $0) },
                .script(.raw(PageStyle.stepperScript)))
        )
        return page.render()
    }

    private func row(_ label: String, _ value: String) -> Node<HTML.TableContext> {
        .tr(.td(.text(label)), .td(.text(value)))
    }

    private func check(in c: CheckResultRecord) -> Node<HTML.BodyContext> {
        let kind = c.outcome == .passed ? "passed" : c.outcome == .failed ? "failed" : "other"
        let points = c.maxPoints == 0 ? "not scored" : "\(ScoreText.format(c.points)) / \(ScoreText.format(c.maxPoints)) points"
        let showDetails = c.visibility == .public || includeHiddenTraces
        let replay: String? =
            c.outcome == .failed && c.visibility == .public ? c.seed.map { "turnstile test \(c.checkID) --replay 0x\(String($0, radix: 16))" } : nil
        return .div(
            .class("check \(kind)"), .id("check-\(c.checkID)"),
            .p(
                .span(.class("badge"), .text(c.outcome.rawValue)), .text(" "),
                .strong(.text(c.title)), .text(" (\(c.checkID)\(c.visibility == .hidden ? ", hidden" : "")) — \(points)")),
            .if(c.outcome != .passed && c.property != nil, .p(.text("Property broken: "), .span(.class("property"), .text(c.property ?? "")))),
            .if(!c.message.isEmpty, .pre(.class("message"), .text(c.message))),
            .if(c.maxPoints == 0 && c.outcome != .passed && c.outcome != .skipped,
                .p(.text("Not scored: a run on real threads depends on how the machine interleaved them; your instructor sees it."))),
            .unwrap(replay) { .p(.text("Replay: "), .code(.class("replay"), .text($0))) },
            .unwrap(c.studentOutput.flatMap { $0.isEmpty ? nil : $0 }) {
                // A hidden check's inputs would show in what the code prints (see FeedbackText).
                showDetails
                    ? .details(.summary("Your code printed (not a verdict)"), .pre(.text($0)))
                    : .p(.text("(what your code printed during a hidden check is not shown)"))
            },
            .unwrap(c.trace.flatMap { $0.isEmpty ? nil : $0 }) { trace in
                showDetails ? schedule(ScheduleTrace(trace)) : .p(.text("(the schedule of a hidden check is not shown)"))
            })
    }

    /// The schedule as a table, one column per thread, with a stepper.
    private func schedule(_ trace: ScheduleTrace) -> Node<HTML.BodyContext> {
        let threads = trace.threads
        return .div(
            .class("stepper"),
            .p(.button(.class("previous"), .text("◀ previous")), .button(.class("next"), .text("next ▶")), .span(.class("position"))),
            .forEach(trace.notes) { .p(.text($0)) },
            .table(
                .class("schedule"),
                .thead(.tr(.th("#"), .forEach(threads) { .th(.text($0)) }, .th("where"))),
                .tbody(.forEach(trace.steps) { step in
                    .tr(
                        .td(.text("\(step.number)")),
                        .forEach(threads) { thread in
                            thread == step.thread ? .td(.class("act"), .text(step.action)) : .td()
                        },
                        .td(.text(step.location)))
                })))
    }
}
