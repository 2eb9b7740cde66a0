import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

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

    @Test("Canvas: the importer's student columns, a Points Possible row, then one column per assignment titled as Canvas matches it")
    func canvas() throws {
        let records = try CSV.parse(try Self.populated().export(.canvas, assignmentID: nil))
        // canvas-lms GradebookImporter: row 0 has "Student" and "ID"; SIS User ID is followed by
        // SIS Login ID; the last student column contains "Section"; a trailing "(…)" would be
        // read as a Canvas assignment id, so titles carry none.
        #expect(
            records[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Bounded buffer", "Peterson's lock"])
        #expect(records[1] == ["Points Possible", "", "", "", "", "20", "10"])
        #expect(records.count == 4 && records.allSatisfy { $0.count == 7 })
        #expect(records[2] == ["Ada Lovelace", "", "ada", "ada", "", "", "5.5"])
        #expect(records[3] == [Fixtures.tricky.name, "", "obrien", "obrien", "", "", "7.25"])

        let one = try CSV.parse(try Self.populated().export(.canvas, assignmentID: "buffer"))
        #expect(one[0].last == "Bounded buffer" && one[1].last == "20" && one[2].last == "")
    }

    @Test("LMS identities from the roster reach each export: Canvas ids and section, Moodle e-mail, the LTI user id")
    func identities() throws {
        let store = try Self.populated()
        try store.upsertStudent(StudentRecord(
            id: "ada", name: "Ada Lovelace", repository: "https://git.example/ada.git",
            identity: LMSIdentity([.canvasID: "4711", .sisUserID: "S-1", .sisLoginID: "alovelace", .section: "Lab A", .email: "ada@example.edu", .ltiUserID: "sub-ada"])))
        let canvas = try CSV.parse(try store.export(.canvas, assignmentID: "peterson"))
        #expect(canvas[2] == ["Ada Lovelace", "4711", "S-1", "alovelace", "Lab A", "5.5"])
        #expect(canvas[3] == [Fixtures.tricky.name, "", "obrien", "obrien", "", "7.25"], "no identity: the student id")
        let moodle = try CSV.parse(try store.export(.moodle, assignmentID: "peterson"))
        #expect(moodle[0].prefix(3) == ["ID number", "Full name", "Email address"])
        #expect(moodle[1].prefix(3) == ["S-1", "Ada Lovelace", "ada@example.edu"])
        #expect(moodle[2].prefix(3) == ["obrien", Fixtures.tricky.name, ""])
        let lti = try store.export(.lti, assignmentID: "peterson")
        #expect(lti.contains("\"userId\":\"sub-ada\"") && lti.contains("\"userId\":\"obrien\""))
        // Stored and read back, and re-upserting the same roster is quiet.
        #expect(try store.students().first { $0.id == "ada" }?.identity[.section] == "Lab A")
    }

    @Test("Canvas titles: no trailing parenthesis (an assignment id to Canvas), no words that make Canvas drop the column")
    func canvasTitles() {
        #expect(GradeSheet.canvasTitle("Semaphores (part 2)") == "Semaphores")
        #expect(GradeSheet.canvasTitle("Final Score check") == "Final-Score check")
        #expect(GradeSheet.canvasTitle("(x)") == "Assignment")
        #expect(GradeSheet.canvasTitle("Peterson's lock") == "Peterson's lock")
    }

    @Test("Moodle: ID number, Full name, then each assignment's grade with its feedback beside it")
    func moodle() throws {
        let records = try CSV.parse(try Self.populated().export(.moodle, assignmentID: "peterson"))
        #expect(records[0] == ["ID number", "Full name", "Peterson's lock", "Peterson's lock feedback"])
        #expect(records[1] == ["ada", "Ada Lovelace", "5.5", "graded, 5.5/10; lost: progress"])
        #expect(records[2] == ["obrien", Fixtures.tricky.name, "7.25", "fetchFailed, 7.25/10; set by an instructor"])
        #expect(records.count == 3)
    }

    @Test("JUnit XML: one testsuite per grade, one testcase per check, the failure with its message; parses back")
    func junit() throws {
        let text = try Self.populated().export(.junit, assignmentID: "peterson")
        let document = try XMLDocument(data: Data(text.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 2)
        // junit-10.xsd: testsuite needs name and tests; testcase needs name.
        for suite in suites {
            #expect(suite.attribute(forName: "name")?.stringValue != nil && suite.attribute(forName: "tests")?.stringValue != nil)
            for testcase in suite.elements(forName: "testcase") { #expect(testcase.attribute(forName: "name")?.stringValue != nil) }
        }
        let ada = suites[0]
        #expect(ada.attribute(forName: "name")?.stringValue == "peterson/ada")
        #expect(ada.attribute(forName: "tests")?.stringValue == "2" && ada.attribute(forName: "failures")?.stringValue == "1")
        let cases = ada.elements(forName: "testcase")
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == ["mutex", "progress"])
        #expect(cases[0].children?.isEmpty ?? true)
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.stringValue?.contains("\"quotes\"") == true, "the message, escaped and read back intact")
        let properties = ada.elements(forName: "properties").first?.elements(forName: "property") ?? []
        #expect(properties.contains { $0.attribute(forName: "name")?.stringValue == "score" && $0.attribute(forName: "value")?.stringValue == "5.5" })
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(suites[1].attribute(forName: "tests")?.stringValue == "0")
    }

    @Test("LTI AGS: one score object per line with the fields a platform requires")
    func lti() throws {
        let text = try Self.populated().export(.lti, assignmentID: "peterson")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let scores = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        for score in scores {
            #expect(Set(score.keys) == ["userId", "scoreGiven", "scoreMaximum", "comment", "timestamp", "activityProgress", "gradingProgress"])
            #expect(score["activityProgress"] as? String == "Completed")
            let timestamp = try #require(score["timestamp"] as? String)
            let parser = ISO8601DateFormatter()
            parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(parser.date(from: timestamp) != nil, "ISO 8601 with fractional seconds: \(timestamp)")
        }
        #expect(scores[0]["userId"] as? String == "ada" && scores[0]["scoreGiven"] as? Double == 5.5 && scores[0]["scoreMaximum"] as? Double == 10)
        #expect(scores[0]["gradingProgress"] as? String == "FullyGraded")
        // Overridden by an instructor: final even though the fetch failed.
        #expect(scores[1]["gradingProgress"] as? String == "FullyGraded" && scores[1]["scoreGiven"] as? Double == 7.25)
    }

    @Test("Gradescope results.json from a recorded submission: score, tests with points and visibility")
    func gradescope() throws {
        let store = try Self.populated()
        let detail = try #require(try store.submissionDetail(studentID: "ada", assignmentID: "peterson"))
        let data = try GradescopeResults(detail: detail, seconds: 3.14).encoded()
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(results["score"] as? Double == 5.5 && results["execution_time"] as? Double == 3.1)
        let tests = try #require(results["tests"] as? [[String: Any]])
        #expect(tests.map { $0["number"] as? String } == ["1", "2"])
        #expect(tests.map { $0["status"] as? String } == ["passed", "failed"])
        #expect(tests.map { $0["max_score"] as? Double } == [6, 4])
        #expect(tests.allSatisfy { ["visible", "after_due_date"].contains($0["visibility"] as? String) })
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
