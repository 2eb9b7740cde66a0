import Foundation
import Testing

@testable import Gradebook

/// Triage groups submissions by how they failed, so one explanation covers a group.
@Suite("Triage")
struct TriageTests {
    static func check(_ id: String, passed: Bool, property: String? = nil, message: String = "", points: Double = 5) -> CheckResultRecord {
        CheckResultRecord(
            checkID: id, title: id, outcome: passed ? .passed : .failed, points: passed ? points : 0, maxPoints: points,
            durationSeconds: 1, message: message, visibility: .hidden, property: property)
    }

    @Test("same lost checks with the same properties group together, largest first; full marks and unscored failures do not split or appear")
    func groupsBySignature() throws {
        let store = try GradebookStore.inMemory(actor: "tester")
        try store.upsertAssignment(Fixtures.peterson)
        let run = try store.startRun(assignmentID: "peterson", deadline: nil, checksVersion: "v1")
        func record(_ student: String, status: SubmissionStatus = .graded, _ checks: [CheckResultRecord]) throws {
            try store.upsertStudent(StudentRecord(id: student, name: student, repository: "r"))
            try store.recordSubmission(
                Fixtures.submission(student: student, status: status, score: checks.reduce(0) { $0 + $1.points }, checks: checks),
                runID: run)
        }
        let raceA = [Self.check("mutex", passed: false, property: "mutual exclusion", message: "t0 and t1 inside\nschedule…"),
                     Self.check("progress", passed: true)]
        // Same bug, another schedule and message; an unscored real-thread failure on top.
        let raceB = [Self.check("mutex", passed: false, property: "mutual exclusion", message: "t1 and t0 inside"),
                     Self.check("progress", passed: true), Self.check("native", passed: false, property: "wrong result on real threads", points: 0)]
        let stuck = [Self.check("mutex", passed: true), Self.check("progress", passed: false, property: "deadlock", message: "circular wait")]
        try record("s1", raceA)
        try record("s2", raceB)
        try record("s3", stuck)
        try record("s4", [Self.check("mutex", passed: true), Self.check("progress", passed: true)])
        try record("s5", status: .buildFailed, [])

        let groups = try store.triage(assignmentID: "peterson")
        #expect(groups.map(\.students) == [["s1", "s2"], ["s3"], ["s5"]])
        #expect(groups[0].signature == ["mutex: mutual exclusion"])
        #expect(groups[0].example == "t0 and t1 inside")
        #expect(groups[1].signature == ["progress: deadlock"])
        #expect(groups[2].signature == ["status: buildFailed"])
        #expect(throws: GradebookError.unknownAssignment("nope")) { try store.triage(assignmentID: "nope") }
    }
}
