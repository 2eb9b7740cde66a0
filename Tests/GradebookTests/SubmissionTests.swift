import Foundation
import GRDB
import Testing

@testable import Gradebook

@Suite("Recording submissions")
struct SubmissionTests {
    @Test("a submission with its checks reads back exactly as recorded")
    func roundTrip() throws {
        let (store, run) = try Fixtures.store()
        var checks = Fixtures.checks(failingSeed: UInt64.max)
        checks.append(
            CheckResultRecord(
                checkID: "starvation", title: "No starvation", outcome: .timedOut, points: 0, maxPoints: 0,
                durationSeconds: 30, visibility: .hidden))
        let recorded = Fixtures.submission(latePenalty: 1.5, checks: checks)
        try store.recordSubmission(recorded, runID: run)

        let detail = try #require(try store.submissionDetail(studentID: "ada", assignmentID: "peterson"))
        #expect(detail.submission == recorded)
        #expect(detail.submission.checks.map(\.checkID) == ["mutex", "progress", "starvation"])
        #expect(detail.submission.checks[1].seed == UInt64.max)
        #expect(detail.submission.checks[2].seed == nil && detail.submission.checks[2].trace == nil)
        #expect(detail.runID == run)
        #expect(detail.studentName == "Ada Lovelace")
        #expect(detail.assignmentTitle == "Peterson's lock")
        #expect(detail.override == nil)
        #expect(detail.finalScore == 4.5)
    }

    @Test("a stored status this version does not know is a clear error, not a crash or a wrong grade")
    func unknownStoredStatus() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(), runID: run)
        try store.executeForTesting("UPDATE submissions SET status = 'quarantined'")
        do {
            _ = try store.grades(assignmentID: nil)
            Issue.record("an unknown status was read as a grade")
        } catch let GradebookError.database(message) {
            #expect(message.contains("newer Turnstile"))
            #expect(message.contains("quarantined"))
        }
    }

    @Test("every table record names exactly the columns of its table")
    func tableRecordsMatchTheSchema() throws {
        let (store, _) = try Fixtures.store()
        let records: [(String, [String])] = [
            ("students", StoredStudent.CodingKeys.allCases.map(\.stringValue)),
            ("assignments", StoredAssignment.CodingKeys.allCases.map(\.stringValue)),
            ("runs", StoredRun.CodingKeys.allCases.map(\.stringValue)),
            ("submissions", StoredSubmission.CodingKeys.allCases.map(\.stringValue)),
            ("check_results", StoredCheckResult.CodingKeys.allCases.map(\.stringValue)),
            ("grades", StoredGrade.CodingKeys.allCases.map(\.stringValue)),
            ("collections", StoredCollection.CodingKeys.allCases.map(\.stringValue)),
            ("audit", StoredAuditEntry.CodingKeys.allCases.map(\.stringValue)),
            ("sightings", StoredSighting.CodingKeys.allCases.map(\.stringValue)),
            ("pinned_files", StoredPinnedFile.CodingKeys.allCases.map(\.stringValue)),
        ]
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
        }
        #expect(Set(tables) == Set(records.map(\.0)), "a table without a record type, or a record without a table")
        for (table, keys) in records {
            let columns = try store.read { db in try db.columns(in: table).map(\.name) }
            #expect(Set(keys) == Set(columns), "\(table)")
        }
    }

    @Test("a duplicate check id fails mid-way and leaves nothing of the submission behind")
    func atomicity() throws {
        let (store, run) = try Fixtures.store()
        let before = try store.summary()
        var checks = Fixtures.checks()
        checks.append(checks[0])  // "mutex" again, after two rows were already inserted
        #expect(
            throws: GradebookError.duplicateCheckID(checkID: "mutex", studentID: "ada", assignmentID: "peterson")
        ) {
            try store.recordSubmission(Fixtures.submission(checks: checks), runID: run)
        }
        let after = try store.summary()
        #expect(after == before)
        #expect(after.submissions == 0 && after.checkResults == 0 && after.grades == 0)
        #expect(try store.submissionDetail(studentID: "ada", assignmentID: "peterson") == nil)
        #expect(try store.grades(assignmentID: nil).isEmpty)
    }

    @Test("unknown student, unknown run and a run of another assignment are refused and write nothing")
    func refusals() throws {
        let (store, run) = try Fixtures.store()
        let before = try store.summary()
        #expect(throws: GradebookError.unknownStudent("grace")) {
            try store.recordSubmission(Fixtures.submission(student: "grace"), runID: run)
        }
        #expect(throws: GradebookError.unknownRun(999)) {
            try store.recordSubmission(Fixtures.submission(), runID: 999)
        }
        #expect(
            throws: GradebookError.runAssignmentMismatch(
                runID: run, runAssignment: "peterson", submissionAssignment: "buffer")
        ) {
            try store.recordSubmission(Fixtures.submission(assignment: "buffer"), runID: run)
        }
        #expect(throws: GradebookError.invalidScore(field: "late penalty", value: -1)) {
            try store.recordSubmission(Fixtures.submission(latePenalty: -1), runID: run)
        }
        #expect(try store.summary() == before)
    }

    @Test("the latest recorded submission wins, whatever dates it carries; regrades add rows")
    func latestSubmission() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(commit: "aaa", score: 3), runID: run)
        // Recorded later but claiming an earlier grading time: still the latest.
        try store.recordSubmission(
            Fixtures.submission(commit: "bbb", score: 8, gradedAt: Fixtures.t0.addingTimeInterval(-86_400)), runID: run)
        try store.recordSubmission(Fixtures.submission(student: "obrien", commit: "ccc", score: 5), runID: run)

        let grades = try store.grades(assignmentID: "peterson")
        #expect(grades.map(\.studentID) == ["ada", "obrien"])
        #expect(grades[0].commitID == "bbb" && grades[0].score == 8)
        #expect(grades[1].commitID == "ccc" && grades[1].score == 5)

        // Regrading the same commit with the same checks is a new row, and the grade follows it.
        try store.recordSubmission(Fixtures.submission(commit: "bbb", score: 7), runID: run)
        #expect(try store.summary().submissions == 4)
        let regraded = try store.grades(assignmentID: "peterson")[0]
        #expect(regraded.score == 7)
        #expect(regraded.submissionID > grades[0].submissionID)
        #expect(try store.grades(assignmentID: "buffer").isEmpty)
        #expect(throws: GradebookError.unknownAssignment("nope")) { try store.grades(assignmentID: "nope") }
    }

    @Test("the final score subtracts the late penalty, never below zero")
    func latePenalty() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(score: 6, latePenalty: 2.5), runID: run)
        try store.recordSubmission(Fixtures.submission(student: "obrien", score: 1, latePenalty: 3), runID: run)
        let grades = try store.grades(assignmentID: nil)
        #expect(grades.map(\.score) == [3.5, 0])
        #expect(grades.map(\.rawScore) == [6, 1])
        #expect(grades.map(\.latePenalty) == [2.5, 3])
    }

    @Test("isGraded matches student, assignment, commit and checks version, for final statuses only")
    func isGraded() throws {
        let (store, run) = try Fixtures.store()
        #expect(
            try !store.isGraded(studentID: "ada", assignmentID: "peterson", commitID: "c0ffee", checksVersion: "v1"))
        try store.recordSubmission(Fixtures.submission(commit: "c0ffee", status: .buildFailed, checks: []), runID: run)
        #expect(try store.isGraded(studentID: "ada", assignmentID: "peterson", commitID: "c0ffee", checksVersion: "v1"))
        #expect(
            try !store.isGraded(studentID: "ada", assignmentID: "peterson", commitID: "c0ffee", checksVersion: "v2"))
        #expect(try !store.isGraded(studentID: "ada", assignmentID: "peterson", commitID: "beef", checksVersion: "v1"))
        #expect(
            try !store.isGraded(studentID: "obrien", assignmentID: "peterson", commitID: "c0ffee", checksVersion: "v1"))

        // Grader-side failures are retried, not skipped.
        try store.recordSubmission(
            Fixtures.submission(student: "obrien", commit: "d00d", status: .sandboxUnavailable), runID: run)
        #expect(
            try !store.isGraded(studentID: "obrien", assignmentID: "peterson", commitID: "d00d", checksVersion: "v1"))
        // A submission without a commit is never done.
        try store.recordSubmission(
            Fixtures.submission(student: "obrien", commit: nil, status: .fetchFailed, checks: []), runID: run)
        #expect(try !store.isGraded(studentID: "obrien", assignmentID: "peterson", commitID: "", checksVersion: "v1"))
    }

    @Test("submission detail distinguishes an unknown id from no submission")
    func detailLookups() throws {
        let (store, _) = try Fixtures.store()
        #expect(try store.submissionDetail(studentID: "ada", assignmentID: "peterson") == nil)
        #expect(throws: GradebookError.unknownStudent("grace")) {
            try store.submissionDetail(studentID: "grace", assignmentID: "peterson")
        }
        #expect(throws: GradebookError.unknownAssignment("nope")) {
            try store.submissionDetail(studentID: "ada", assignmentID: "nope")
        }
    }

    @Test("runs record their deadline, checks version and summary")
    func runs() throws {
        let (store, run) = try Fixtures.store()
        try store.finishRun(run, summary: "2 graded")
        let second = try store.startRun(assignmentID: "buffer", deadline: nil, checksVersion: "v2")
        let runs = try store.runs()
        #expect(runs.map(\.id) == [second, run])
        #expect(runs[1].deadline == Fixtures.t0 && runs[1].summary == "2 graded" && runs[1].finishedAt != nil)
        #expect(runs[0].deadline == nil && runs[0].finishedAt == nil && runs[0].checksVersion == "v2")
        #expect(runs[0].startedBy == "tester")
        #expect(try store.runs(assignmentID: "buffer").map(\.id) == [second])
        #expect(throws: GradebookError.unknownRun(999)) { try store.finishRun(999, summary: "") }
        #expect(throws: GradebookError.unknownAssignment("nope")) {
            try store.startRun(assignmentID: "nope", deadline: nil, checksVersion: "v1")
        }
    }

    @Test("concurrent recording from many tasks loses nothing")
    func concurrentRecording() async throws {
        let (store, run) = try Fixtures.store()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try store.recordSubmission(
                        Fixtures.submission(student: i % 2 == 0 ? "ada" : "obrien", commit: "c\(i)"), runID: run)
                }
            }
            try await group.waitForAll()
        }
        let summary = try store.summary()
        #expect(summary.submissions == 40 && summary.checkResults == 80 && summary.grades == 40)
    }
}
