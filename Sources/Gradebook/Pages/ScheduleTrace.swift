/// A failing schedule read back from its text form (`  3. consumer  wait notEmpty  File.swift:12`),
/// as columns per thread for the HTML stepper.
struct ScheduleTrace: Equatable {
    /// One step: who acted, what it did, where.
    struct Step: Equatable {
        var number: Int
        var thread: String
        var action: String
        var location: String
    }

    var steps: [Step]
    /// Lines that are not steps (`… 40 earlier steps omitted`).
    var notes: [String]

    /// The threads in the order they first act.
    var threads: [String] {
        var seen: [String] = []
        for step in steps where !seen.contains(step.thread) { seen.append(step.thread) }
        return seen
    }

    init(_ text: String) {
        steps = []
        notes = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let dot = line.firstIndex(of: "."), let number = Int(line[..<dot]) else {
                if !line.isEmpty { notes.append(line) }
                continue
            }
            let parts = line[line.index(after: dot)...].trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")
            guard parts.count >= 2 else {
                notes.append(line)
                continue
            }
            steps.append(Step(
                number: number, thread: parts[0], action: parts[1],
                location: parts.count > 2 ? parts[2...].joined(separator: "  ").trimmingCharacters(in: .whitespaces) : ""))
        }
    }
}
