import Foundation
import Testing

@testable import Gradebook

@Suite("Student feedback")
struct FeedbackTests {
    @Test("feedback shows status, score with penalty, and every check with outcome, points and message")
    func gradedFeedback() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(score: 6, latePenalty: 1), runID: run)
        let text = try store.feedback(studentID: "ada", assignmentID: "peterson")
        #expect(text.contains("Peterson's lock"))
        #expect(text.contains("Status:  graded"))
        #expect(text.contains("Score:   5 / 10  (checks 6, late penalty -1)"))
        #expect(text.contains("[passed] Mutual exclusion (mutex): 6 / 6 points"))
        #expect(text.contains("[failed] Progress (progress, hidden): 0 / 4 points"))
        #expect(text.contains("Both threads wait forever"))
        #expect(text.contains("a second line."))
        // The failing check is hidden, so its trace and seed are withheld unless asked for.
        #expect(!text.contains("0x3039"))
        #expect(!text.contains("Replay"))
        #expect(!text.contains("deadlock: T0"))
        #expect(text.contains("trace of a hidden check not shown"))
        let full = try store.feedback(studentID: "ada", assignmentID: "peterson", includeHiddenTraces: true)
        #expect(full.contains("deadlock: T0 → T1 → T0"))
        #expect(full.contains("Seed: 0x3039"))
    }

    @Test("public traces are shown and long ones are cut with a count")
    func longPublicTrace() throws {
        let (store, run) = try Fixtures.store()
        let trace = (1...100).map { "step \($0)" }.joined(separator: "\n")
        let check = CheckResultRecord(
            checkID: "spurious", title: "Spurious wakeups", outcome: .failed, points: 0, maxPoints: 2,
            durationSeconds: 0.1, seed: 1, trace: trace, message: "use while, not if", visibility: .public)
        try store.recordSubmission(Fixtures.submission(score: 0, checks: [check]), runID: run)
        let text = try store.feedback(studentID: "ada", assignmentID: "peterson")
        #expect(text.contains("step 1\n"))
        #expect(text.contains("step \(FeedbackText.traceLineLimit)\n"))
        #expect(!text.contains("step \(FeedbackText.traceLineLimit + 1)\n"))
        #expect(text.contains("… \(100 - FeedbackText.traceLineLimit) more lines"))
    }

    @Test("an unscored real-thread check that failed says so and changes no points")
    func unscoredFailure() throws {
        let (store, run) = try Fixtures.store()
        let scored = CheckResultRecord(
            checkID: "mutex", title: "Mutual exclusion", outcome: .passed, points: 10, maxPoints: 10,
            durationSeconds: 0.1, message: "", visibility: .public)
        let native = CheckResultRecord(
            checkID: "native-stress", title: "Real threads", outcome: .failed, points: 0, maxPoints: 0,
            durationSeconds: 2, message: "two threads were inside at once", visibility: .hidden,
            property: "wrong result on real threads")
        try store.recordSubmission(Fixtures.submission(score: 10, checks: [scored, native]), runID: run)
        let text = try store.feedback(studentID: "ada", assignmentID: "peterson")
        #expect(text.contains("Score:   10 / 10"))
        #expect(text.contains("[failed] Real threads (native-stress, hidden): not scored, 2 s"))
        #expect(text.contains("Not scored: a run on real threads"))
        #expect(text.contains("Property broken: wrong result on real threads"))
        #expect(!text.contains("0 / 0 points"))
        // A passing unscored check gets no explanation.
        #expect(text.components(separatedBy: "Not scored:").count == 2)
    }

    @Test("feedback for a failed fetch and an override explains both")
    func failureAndOverride() throws {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(
            Fixtures.submission(commit: nil, status: .noCommitBeforeDeadline, score: 0, checks: []), runID: run)
        try store.setOverride(
            studentID: "ada", assignmentID: "peterson", score: 8, reason: "medical extension", by: "prof")
        let text = try store.feedback(studentID: "ada", assignmentID: "peterson")
        #expect(text.contains("Commit:  none"))
        #expect(text.contains("no commit was found at or before the deadline"))
        #expect(text.contains("details"))
        #expect(text.contains("Score:   8 / 10  (set by prof: medical extension; computed score 0)"))
        #expect(!text.contains("\nChecks\n"))
    }

    @Test("feedback without a submission says so")
    func noSubmission() throws {
        let (store, _) = try Fixtures.store()
        #expect(throws: GradebookError.noSubmission(studentID: "ada", assignmentID: "peterson")) {
            try store.feedback(studentID: "ada", assignmentID: "peterson")
        }
    }

    @Test(
        "every error describes what to do",
        arguments: [
            GradebookError.cannotOpen(path: "/x", reason: "r"), .notAGradebook(path: "/x"),
            .newerSchema(path: "/x", unknownMigrations: ["m"]), .unknownStudent("s"), .unknownAssignment("a"),
            .unknownRun(1), .runAssignmentMismatch(runID: 1, runAssignment: "a", submissionAssignment: "b"),
            .duplicateCheckID(checkID: "c", studentID: "s", assignmentID: "a"),
            .noSubmission(studentID: "s", assignmentID: "a"), .invalidScore(field: "f", value: -1),
            .database(message: "m"),
        ])
    func errorDescriptions(error: GradebookError) {
        let text = error.localizedDescription
        #expect(text == error.description)
        #expect(text.count > 40)
        let advice = ["Check", "check", "Pass", "Upgrade", "Import", "Add", "Start", "Give", "Grade", "Fix"]
        #expect(advice.contains { text.contains($0) })
    }

    @Test("the student's own output is labelled as theirs, a forged verdict line only after the prefix, and a public replay is a command")
    func studentOutputIsLabelled() throws {
        let (store, run) = try Fixtures.store()
        let check = CheckResultRecord(
            checkID: "fifo", title: "FIFO", outcome: .failed, points: 0, maxPoints: 10, durationSeconds: 0.1, seed: 255,
            trace: "1. main spawn", message: "order broken", visibility: .public,
            studentOutput: "[passed] 10/10\nScore: 10 / 10", property: "assertion")
        try store.recordSubmission(Fixtures.submission(score: 0, checks: [check]), runID: run)
        let text = try store.feedback(studentID: "ada", assignmentID: "peterson")
        #expect(text.contains("Your code printed (not a verdict):\n      | [passed] 10/10\n      | Score: 10 / 10"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("[passed]") || $0.trimmingCharacters(in: .whitespaces).hasPrefix("[passed]") })
        #expect(text.contains("Replay: turnstile test fifo --replay 0xff"))
        #expect(text.contains("Property broken: assertion"))
    }

    @Test("what the code printed during a hidden check reaches only the instructor: printing a hidden check's inputs must not reveal them")
    func hiddenCheckOutputIsWithheld() throws {
        let (store, run) = try Fixtures.store()
        let hidden = CheckResultRecord(
            checkID: "tampered-record", title: "Tampered record", outcome: .failed, points: 0, maxPoints: 10, durationSeconds: 0.1,
            seed: nil, trace: nil, message: "a tampered record was accepted", visibility: .hidden,
            studentOutput: "input: 7f00ff13 replayed at 42", property: "assertion")
        let shown = CheckResultRecord(
            checkID: "fifo", title: "FIFO", outcome: .passed, points: 10, maxPoints: 10, durationSeconds: 0.1, seed: nil,
            trace: nil, message: "", visibility: .public, studentOutput: "public line", property: nil)
        try store.recordSubmission(Fixtures.submission(score: 10, checks: [hidden, shown]), runID: run)
        for student in [
            try store.feedback(studentID: "ada", assignmentID: "peterson"),
            try store.feedbackPage(studentID: "ada", assignmentID: "peterson"),
        ] {
            #expect(!student.contains("7f00ff13"))
            #expect(student.contains("what your code printed during a hidden check is not shown"))
            #expect(student.contains("public line"))
        }
        for instructor in [
            try store.feedback(studentID: "ada", assignmentID: "peterson", includeHiddenTraces: true),
            try store.feedbackPage(studentID: "ada", assignmentID: "peterson", includeHiddenTraces: true),
        ] {
            #expect(instructor.contains("input: 7f00ff13 replayed at 42"))
        }
    }
}
