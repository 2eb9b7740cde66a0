import Foundation
import Grading
import Testing
@testable import TurnstileCLI

/// The status line a batch shows on a terminal, and the regrade line.
struct BatchProgressTests {
    @Test func theStatusCountsAndEstimatesTheTimeLeftPerWorker() {
        let progress = BatchProgress(total: 12, workers: 2, terminal: false)
        #expect(progress.status.hasPrefix("[ 0/12]   0%  0:00 so far"))
        #expect(!progress.status.contains("left"), "no estimate before anything finished")
        progress.finished("  s1: graded")
        #expect(progress.status.hasPrefix("[ 1/12]   8%"))
        #expect(progress.status.contains("left"))
        #expect(BatchProgress.clock(3725) == "1:02:05" && BatchProgress.clock(65) == "1:05")
    }

    @Test func aRegradeThatChangesTheScoreSaysOldNewAndWhy() {
        var outcome = StudentOutcome(
            studentID: "s1", name: "S", status: .recorded(.graded), detail: "", score: 100, maxScore: 100, commitID: "bbbbbbbbbbbb",
            seconds: 1, buildSeconds: nil, isProblem: false)
        outcome.checksVersion = "pc/7"
        #expect(Turnstile.Grade.change(outcome) == nil, "a first grade is no change")
        outcome.previous = PreviousGrade(score: 80, commitID: "aaaaaaaaaaaa", checksVersion: "pc/6")
        #expect(Turnstile.Grade.change(outcome) == "regraded: 80 → 100 (commit aaaaaaaa → bbbbbbbb, checks pc/6 → pc/7)")
        outcome.previous = PreviousGrade(score: 100, commitID: "aaaaaaaaaaaa", checksVersion: "pc/6")
        #expect(Turnstile.Grade.change(outcome) == nil, "the same score is no change")
    }
}
