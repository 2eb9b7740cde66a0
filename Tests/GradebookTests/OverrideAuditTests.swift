import Foundation
import Testing

@testable import Gradebook

@Suite("Overrides and the audit trail")
struct OverrideAuditTests {
    @Test("an override replaces the computed score, ignores the late penalty and survives regrades")
    func overrideSurvivesRegrade() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(score: 6, latePenalty: 2), runID: run)
        try store.setOverride(
            studentID: "ada", assignmentID: "peterson", score: 9, reason: "extension granted", by: "prof")

        var grade = try #require(try store.grades(assignmentID: "peterson").first)
        #expect(grade.overridden && grade.score == 9 && grade.rawScore == 6)
        #expect(grade.override?.reason == "extension granted" && grade.override?.by == "prof")

        try store.recordSubmission(Fixtures.submission(commit: "newer", score: 4), runID: run)
        grade = try #require(try store.grades(assignmentID: "peterson").first)
        #expect(grade.commitID == "newer")
        #expect(grade.overridden && grade.score == 9 && grade.rawScore == 4)
        let detail = try #require(try store.submissionDetail(studentID: "ada", assignmentID: "peterson"))
        #expect(detail.override?.score == 9 && detail.finalScore == 9)

        try store.clearOverride(studentID: "ada", assignmentID: "peterson", by: "prof")
        grade = try #require(try store.grades(assignmentID: "peterson").first)
        #expect(!grade.overridden && grade.score == 4 && grade.override == nil)
        // A later regrade no longer brings it back.
        try store.recordSubmission(Fixtures.submission(commit: "newest", score: 5), runID: run)
        #expect(try store.grades(assignmentID: "peterson").first?.overridden == false)
    }

    @Test("an override needs a recorded submission and a sane score")
    func overrideRefusals() throws {
        let (store, _) = try Fixtures.store()
        #expect(throws: GradebookError.noSubmission(studentID: "ada", assignmentID: "peterson")) {
            try store.setOverride(studentID: "ada", assignmentID: "peterson", score: 5, reason: "", by: "prof")
        }
        #expect(throws: GradebookError.unknownStudent("grace")) {
            try store.setOverride(studentID: "grace", assignmentID: "peterson", score: 5, reason: "", by: "prof")
        }
        #expect(throws: GradebookError.invalidScore(field: "override score", value: .infinity)) {
            try store.setOverride(studentID: "ada", assignmentID: "peterson", score: .infinity, reason: "", by: "prof")
        }
    }

    @Test("every change is audited with who, what and when, newest first")
    func auditTrail() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(), runID: run)
        try store.setOverride(
            studentID: "ada", assignmentID: "peterson", score: 9, reason: "regrade request", by: "prof")
        try store.recordSubmission(Fixtures.submission(commit: "later"), runID: run)
        try store.finishRun(run, summary: "done")

        let trail = try store.auditTrail(limit: 100)
        #expect(
            trail.map(\.action) == [
                .runFinished, .submissionRecorded, .overrideSet, .submissionRecorded, .runStarted,
                .assignmentUpserted, .assignmentUpserted, .studentUpserted, .studentUpserted,
            ])
        #expect(trail.map(\.id) == trail.map(\.id).sorted(by: >))
        #expect(trail[0].detail.contains("done"))
        #expect(trail[1].detail.contains("later") && trail[1].detail.contains("override 9 kept"))
        #expect(trail[2].actor == "prof" && trail[2].detail.contains("regrade request"))
        #expect(trail[3].actor == "tester" && trail[3].studentID == "ada" && trail[3].assignmentID == "peterson")
        #expect(trail.allSatisfy { abs($0.at.timeIntervalSinceNow) < 3600 })
        #expect(try store.auditTrail(limit: 2).map(\.id) == Array(trail.prefix(2).map(\.id)))
    }

    @Test("re-importing an unchanged roster writes no audit entries; a change writes one")
    func quietUpserts() throws {
        let (store, _) = try Fixtures.store()
        let count = try store.summary().auditEntries
        try store.upsertStudent(Fixtures.ada)
        try store.upsertAssignment(Fixtures.peterson)
        #expect(try store.summary().auditEntries == count)
        try store.upsertStudent(StudentRecord(id: "ada", name: "Ada King", repository: Fixtures.ada.repository))
        #expect(try store.summary().auditEntries == count + 1)
        #expect(try store.students().first { $0.id == "ada" }?.name == "Ada King")
        #expect(try store.auditTrail(limit: 1).first?.detail.contains("Ada King") == true)
    }
}
