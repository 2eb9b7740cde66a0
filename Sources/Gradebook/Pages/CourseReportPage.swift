import Plot

/// An assignment's grades for the instructor as one self-contained HTML page: a score
/// histogram, each check's pass rate, the slowest submissions, and the triage groups (who
/// failed the same way), each student linked to their own feedback page.
struct CourseReportPage {
    /// One student's line of the report.
    struct Entry {
        var grade: GradeRow
        var checks: [CheckResultRecord]
        /// Seconds spent building and checking.
        var seconds: Double
    }

    var assignment: AssignmentRecord
    var entries: [Entry]
    var groups: [TriageGroup]
    /// The link to a student's page, if pages were written.
    var link: (String) -> String?

    func render() -> String {
        let page = HTML(
            .lang(.english),
            .head(.encoding(.utf8), .title("\(assignment.title): grades"), .style(PageStyle.css)),
            .body(
                .h1(.text("\(assignment.title) (\(assignment.id)): \(entries.count) submissions")),
                .h2("Scores"),
                histogram(),
                .h2("Checks"),
                rates(),
                .h2("Slowest submissions"),
                slowest(),
                .h2("Failed the same way"),
                .if(groups.isEmpty, .p("Every submission has full marks.")),
                .forEach(groups) { group in
                    .div(
                        .class("group"),
                        .p(.strong(.text("\(group.students.count) × ")), .forEach(group.signature) { .code(.text($0 + " ")) }),
                        .if(!group.example.isEmpty, .pre(.text(group.example))),
                        .p(.forEach(group.students) { .span(student($0), .text(" ")) }))
                }))
        return page.render()
    }

    private func student(_ id: String) -> Node<HTML.BodyContext> {
        guard let href = link(id) else { return .text(id) }
        return .a(.href(href), .text(id))
    }

    /// Ten-point bins (the last holds full marks), a bar per bin.
    private func histogram() -> Node<HTML.BodyContext> {
        let maximum = max(assignment.maxScore, 1)
        var bins = Array(repeating: 0, count: 11)
        for entry in entries {
            let share = min(max(entry.grade.score / maximum, 0), 1)
            bins[share >= 1 ? 10 : Int(share * 10)] += 1
        }
        let top = max(bins.max() ?? 1, 1)
        return .table(
            .class("rates histogram"),
            .forEach(Array(bins.enumerated())) { index, count in
                let label = index == 10 ? "100%" : "\(index * 10)–\(index * 10 + 9)%"
                return .tr(
                    .td(.text(label)),
                    .td(.span(.class("bar"), .style("width: \(count * 300 / top)px")), .text(" \(count)")))
            })
    }

    private func rates() -> Node<HTML.BodyContext> {
        var order: [String] = []
        var passed: [String: Int] = [:]
        var ran: [String: Int] = [:]
        var points: [String: Double] = [:]
        for entry in entries {
            for check in entry.checks {
                if ran[check.checkID] == nil { order.append(check.checkID) }
                ran[check.checkID, default: 0] += 1
                if check.outcome == .passed { passed[check.checkID, default: 0] += 1 }
                points[check.checkID] = check.maxPoints
            }
        }
        return .table(
            .class("rates"),
            .thead(.tr(.th("check"), .th("points"), .th("passed"))),
            .tbody(.forEach(order) { id in
                let share = ran[id, default: 0] == 0 ? 0 : passed[id, default: 0] * 100 / ran[id, default: 1]
                return .tr(
                    .td(.code(.text(id))), .td(.text(points[id].map(ScoreText.format) ?? "")),
                    .td(.span(.class("bar"), .style("width: \(share * 2)px")), .text(" \(passed[id, default: 0])/\(ran[id, default: 0]) (\(share)%)")))
            }))
    }

    private func slowest() -> Node<HTML.BodyContext> {
        let slow = entries.sorted { $0.seconds > $1.seconds }.prefix(10)
        return .table(
            .class("rates"),
            .thead(.tr(.th("student"), .th("seconds"), .th("score"), .th("status"))),
            .tbody(.forEach(Array(slow)) { entry in
                .tr(
                    .td(student(entry.grade.studentID)), .td(.text(String(format: "%.1f", entry.seconds))),
                    .td(.text(ScoreText.format(entry.grade.score))), .td(.text(entry.grade.status.rawValue)))
            }))
    }
}
