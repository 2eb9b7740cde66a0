import Foundation
import Testing

@testable import Gradebook

/// Shard gradebooks merge into one: everything copied once, idempotent, conflicts refused.
@Suite("Merge")
struct MergeTests {
    /// A gradebook file holding one student's graded submission (and, for ada, an override,
    /// a collection and a sighting).
    static func shard(_ directory: URL, _ name: String, student: StudentRecord, checksVersion: String = "v1") throws -> String {
        let path = directory.appendingPathComponent(name).path
        let store = try GradebookStore(path: path, actor: "node-\(name)")
        try store.upsertStudent(student)
        try store.upsertAssignment(AssignmentRecord(id: "peterson", title: "Peterson's lock", maxScore: 10, checksVersion: checksVersion))
        let run = try store.startRun(assignmentID: "peterson", deadline: Fixtures.t0, checksVersion: checksVersion)
        try store.recordSubmission(Fixtures.submission(student: student.id, checksVersion: checksVersion), runID: run)
        if student.id == "ada" {
            try store.setOverride(studentID: "ada", assignmentID: "peterson", score: 9, reason: "by hand", by: "prof")
            try store.recordSightings(studentID: "ada", assignmentID: "peterson", commitIDs: ["c0ffee"], at: Fixtures.t0)
        }
        return path
    }

    @Test("two shards merge into the grades of both, with checks, override, sightings and audit; a second merge adds nothing")
    func mergesAndIsIdempotent() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let a = try Self.shard(directory, "a.sqlite", student: Fixtures.ada)
            let b = try Self.shard(directory, "b.sqlite", student: Fixtures.tricky)
            let merged = try GradebookStore(path: directory.appendingPathComponent("all.sqlite").path)
            let first = try merged.merge(from: a)
            #expect(first.submissions == 1 && first.students == 1)
            _ = try merged.merge(from: b)
            let grades = try merged.grades(assignmentID: "peterson")
            #expect(grades.map(\.studentID) == ["ada", "obrien"])
            #expect(grades[0].score == 9 && grades[0].overridden, "the override travels with its submission")
            #expect(grades[1].score == 6)
            let detail = try #require(try merged.submissionDetail(studentID: "obrien", assignmentID: "peterson"))
            #expect(detail.submission.checks.map(\.checkID) == ["mutex", "progress"])
            #expect(detail.submission.checks[1].message.contains("\"quotes\""))
            #expect(try merged.sightings(studentID: "ada", assignmentID: "peterson")["c0ffee"] == Fixtures.t0)
            let trail = try merged.auditTrail(limit: 100)
            #expect(trail.contains { $0.actor == "node-a.sqlite" && $0.action == .submissionRecorded })
            #expect(trail.filter { $0.action == .gradebookMerged }.count == 2)

            let again = try merged.merge(from: a)
            #expect(again.submissions == 0 && again.alreadyPresent == 1 && again.students == 0)
            #expect(try merged.submissionHistory(studentID: "ada", assignmentID: "peterson").count == 1)
            #expect(try merged.auditTrail(limit: 100).count == trail.count + 1, "only the merge's own line is new")
        }
    }

    @Test("a shard graded with other checks is refused and nothing changes")
    func conflictingChecksAreRefused() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let a = try Self.shard(directory, "a.sqlite", student: Fixtures.ada)
            let b = try Self.shard(directory, "b.sqlite", student: Fixtures.tricky, checksVersion: "v2")
            let merged = try GradebookStore(path: directory.appendingPathComponent("all.sqlite").path)
            _ = try merged.merge(from: a)
            #expect(throws: GradebookError.mergeConflict(path: b, assignmentID: "peterson", theirs: "v2", ours: "v1")) {
                try merged.merge(from: b)
            }
            #expect(try merged.grades(assignmentID: "peterson").map(\.studentID) == ["ada"])
        }
    }
}
