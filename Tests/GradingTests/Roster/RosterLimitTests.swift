import Foundation
import Testing
@testable import Grading

/// Roster fields have length limits and no control characters; a bad line is reported with what
/// to do, and every other line still loads.
@Suite struct RosterLimitTests {
    @Test func anOverlongFieldIsAProblemAndTheRestLoads() throws {
        var text = "student_id,name,repository\n"
        for i in 0..<10_000 { text += "s\(i),Student \(i),/repos/s\(i)\n" }
        text += "huge,\(String(repeating: "x", count: 200_000)),/repos/huge\n"
        text += "\(String(repeating: "i", count: 65)),Long Id,/repos/long\n"
        text += "url,Url,\(String(repeating: "u", count: 2_049))\n"
        let roster = try Roster.parse(text)
        #expect(roster.entries.count == 10_000)
        #expect(roster.problems.count == 3)
        let messages = roster.problems.map(\.message)
        #expect(messages.contains { $0.hasPrefix("name is 200000 characters long, over the limit of 200") && $0.contains("shorten it") })
        #expect(messages.contains { $0.hasPrefix("student_id is 65 characters long, over the limit of 64") })
        #expect(messages.contains { $0.hasPrefix("repository is 2049 characters long") })
        #expect(roster.problems.first?.line == 10_002)
    }

    @Test func controlCharactersInIdsAndRepositoriesAreRefused() throws {
        let roster = try Roster.parse("student_id,name,repository\nok,Fine,/r\nesc,Evil,\"/r2\u{1B}[2J\"\n\"tab\tid\",Tab,/r3\n")
        #expect(roster.entries.map(\.studentID) == ["ok"])
        #expect(roster.problems.count == 2)
        #expect(roster.problems.allSatisfy { $0.message.contains("control character") })
    }
}
