import Foundation
import Testing

@testable import Gradebook

/// Names and ids a student or roster controls never become spreadsheet formulas in an export.
@Suite("Formula injection")
struct FormulaInjectionTests {
    static let hostile: [(id: String, name: String)] = [
        ("=cmd", "=HYPERLINK(\"http://x\",\"click\")"), ("+1", "+1"), ("-2+3", "-2+3"), ("@SUM(A1)", "@SUM(A1:A9)"),
        ("tab", "\tx"), ("cr", "\rx"),
    ]

    static func store() throws -> GradebookStore {
        let (store, run) = try Fixtures.store()
        for student in hostile {
            try store.upsertStudent(StudentRecord(id: student.id, name: student.name, repository: "r"))
            try store.recordSubmission(Fixtures.submission(student: student.id), runID: run)
        }
        return store
    }

    @Test("every text cell starting with = + - @ tab or CR is neutralised in CSV, Canvas and Moodle", arguments: [ExportFormat.csv, .canvas, .moodle])
    func neutralised(format: ExportFormat) throws {
        let records = try CSV.parse(try Self.store().export(format, assignmentID: nil))
        for student in Self.hostile {
            let row = try #require(records.first { $0.contains("'" + student.id) || $0.contains(student.id) && !student.id.hasPrefix("=") && !student.id.hasPrefix("+") && !student.id.hasPrefix("-") && !student.id.hasPrefix("@") }, "\(format): \(student.id)")
            #expect(row.contains("'" + student.name), "\(format): \(student.name.debugDescription) → \(row)")
            #expect(!row.contains(student.name), "\(format): the raw name is still a cell")
        }
        // No cell anywhere starts with a formula character.
        for cell in records.joined() where !cell.isEmpty {
            #expect(!["=", "+", "@", "\t", "\r"].contains(cell.first!) && !(cell.first == "-" && Double(cell) == nil), "\(format): \(cell.debugDescription)")
        }
    }

    @Test("JSON is not a spreadsheet: names stay exactly as given")
    func jsonUnchanged() throws {
        let text = try Self.store().export(.json, assignmentID: nil)
        #expect(text.contains("=HYPERLINK"))
        #expect(!text.contains("'=HYPERLINK"))
    }

    @Test("plain text cells pass unchanged")
    func plainUnchanged() {
        #expect(CSV.text("Ada Lovelace") == "Ada Lovelace")
        #expect(CSV.text("") == "")
        #expect(CSV.text("=1+1") == "'=1+1")
    }
}
