import Foundation
@testable import Gradebook
import Testing
@testable import TurnstileCLI

/// Student-controlled text reaches the terminal on one line, without escapes, within a width.
@Suite struct TerminalTextTests {
    @Test func controlCharactersBecomeVisibleAndCellsAreCapped() {
        #expect(TerminalText.cell("Ada") == "Ada")
        #expect(TerminalText.cell("evil\u{1B}[2Jname\r\nx") == "evil\u{FFFD}[2Jname\u{FFFD}\u{FFFD}x")
        let long = TerminalText.cell(String(repeating: "y", count: 200_000))
        #expect(long.count == TerminalText.cellWidth)
        #expect(long.hasSuffix("…"))
    }

    @Test func theGradeTableStaysNarrowWhateverTheNames() {
        let row = GradeRow(
            studentID: "s1", name: String(repeating: "n", count: 200_000) + "\u{1B}]0;pwned\u{07}", assignmentID: "a",
            score: 1, maxScore: 2, commitID: "c0ffee", status: .graded, overridden: false, rawScore: 1, latePenalty: 0,
            override: nil, checksVersion: "v1", submissionID: 1, gradedAt: Date())
        let table = Turnstile.GradebookCommand.table([row])
        #expect(table.split(separator: "\n").allSatisfy { $0.count < 200 })
        #expect(!table.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
    }
}
