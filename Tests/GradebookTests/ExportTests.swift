import Foundation
import Testing

@testable import Gradebook

@Suite("Exports")
struct ExportTests {
    /// Ada graded on peterson with a late penalty; O'Brien (tricky name) overridden on peterson;
    /// nobody has a buffer grade.
    static func populated() throws -> GradebookStore {
        let (store, run) = try Fixtures.store()
        try store.recordSubmission(Fixtures.submission(score: 6, latePenalty: 0.5), runID: run)
        try store.recordSubmission(
            Fixtures.submission(student: "obrien", commit: nil, status: .fetchFailed, score: 0, checks: []), runID: run)
        try store.setOverride(
            studentID: "obrien", assignmentID: "peterson", score: 7.25, reason: "graded by hand, \"see email\"",
            by: "prof")
        return store
    }

    @Test("plain CSV: exact header, one field per column even for a name with comma, quotes and newline")
    func plainCSV() throws {
        let text = try Self.populated().export(.csv, assignmentID: nil)
        #expect(text.hasPrefix("student_id,name,assignment,score,max_score,commit,status"))
        let records = try CSV.parse(text)
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.count == GradeSheet.plainHeader.count })
        #expect(records[1].prefix(7) == ["ada", "Ada Lovelace", "peterson", "5.5", "10", "c0ffee", "graded"])
        #expect(records[2].prefix(7) == ["obrien", Fixtures.tricky.name, "peterson", "7.25", "10", "", "fetchFailed"])
        let column = Dictionary(uniqueKeysWithValues: zip(records[0], records[2]))
        #expect(column["overridden"] == "true")
        #expect(column["override_reason"] == "graded by hand, \"see email\"")
        #expect(column["late_penalty"] == "0")
    }

    @Test("JSON: decodes to one object per grade with per-check points, outcomes and seeds")
    func json() throws {
        struct Check: Decodable {
            var check, outcome, message: String
            var points, max_points: Double
            var seed: String?
        }
        struct Grade: Decodable {
            var student_id, name, assignment, status: String
            var score, max_score: Double
            var commit: String?
            var overridden: Bool
            var checks: [Check]
        }
        let text = try Self.populated().export(.json, assignmentID: "peterson")
        let grades = try JSONDecoder().decode([Grade].self, from: Data(text.utf8))
        #expect(grades.map(\.student_id) == ["ada", "obrien"])
        #expect(grades[0].score == 5.5 && grades[0].max_score == 10 && grades[0].commit == "c0ffee")
        #expect(grades[0].checks.map(\.check) == ["mutex", "progress"])
        #expect(grades[0].checks.map(\.outcome) == ["passed", "failed"])
        #expect(grades[0].checks.map(\.points) == [6, 0] && grades[0].checks.map(\.max_points) == [6, 4])
        #expect(grades[0].checks.map(\.seed) == ["7", "12345"])
        #expect(grades[0].checks[1].message.contains("\"quotes\""))
        #expect(grades[1].name == Fixtures.tricky.name && grades[1].status == "fetchFailed")
        #expect(grades[1].commit == nil && grades[1].overridden && grades[1].score == 7.25 && grades[1].checks.isEmpty)

        // Absent values are explicit nulls, not missing keys.
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(objects[1]["commit"] is NSNull)
    }

    @Test("Canvas: Student, ID, SIS User ID, Section, then Title (max) per assignment; every student listed")
    func canvas() throws {
        let records = try CSV.parse(try Self.populated().export(.canvas, assignmentID: nil))
        #expect(
            records[0] == ["Student", "ID", "SIS User ID", "Section", "Bounded buffer (20)", "Peterson's lock (10)"])
        #expect(records.count == 3 && records.allSatisfy { $0.count == 6 })
        #expect(records[1] == ["Ada Lovelace", "", "ada", "", "", "5.5"])
        #expect(records[2] == [Fixtures.tricky.name, "", "obrien", "", "", "7.25"])

        let one = try CSV.parse(try Self.populated().export(.canvas, assignmentID: "buffer"))
        #expect(one[0].last == "Bounded buffer (20)" && one[1].last == "")
    }

    @Test("Moodle: ID number, Full name, then one column per assignment")
    func moodle() throws {
        let records = try CSV.parse(try Self.populated().export(.moodle, assignmentID: "peterson"))
        #expect(
            records == [
                ["ID number", "Full name", "Peterson's lock"],
                ["ada", "Ada Lovelace", "5.5"],
                ["obrien", Fixtures.tricky.name, "7.25"],
            ])
    }

    @Test("every format refuses an unknown assignment", arguments: ExportFormat.allCases)
    func unknownAssignment(format: ExportFormat) throws {
        let store = try Self.populated()
        #expect(throws: GradebookError.unknownAssignment("nope")) { try store.export(format, assignmentID: "nope") }
    }

    @Test("an empty gradebook exports headers only (CSV) or an empty array (JSON)")
    func empty() throws {
        let store = try GradebookStore.inMemory()
        #expect(try CSV.parse(store.export(.csv, assignmentID: nil)) == [GradeSheet.plainHeader])
        #expect(
            try JSONDecoder().decode([String].self, from: Data(store.export(.json, assignmentID: nil).utf8)).isEmpty)
    }
}
