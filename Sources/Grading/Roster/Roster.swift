import Foundation
import Gradebook

/// The students to grade, read from a CSV file with columns `student_id`, `name`, `repository`.
///
/// Parsing follows RFC 4180 (quoted fields with commas, doubled quotes and line breaks), and is
/// forgiving where a spreadsheet export tends to differ: a UTF-8 byte order mark, CRLF or LF line
/// ends, blank lines, spaces around unquoted fields, header names in any case and order, and extra
/// columns (ignored, except the optional LMS identity columns `canvas_id`, `sis_user_id`,
/// `sis_login_id`, `section`, `email` and `lti_user_id`, which exports use). A malformed line does not stop the batch: it is left out of ``entries`` and
/// described in ``problems``.
public struct Roster: Sendable, Hashable, Codable {
    /// The header the roster must have (in any column order).
    public static let expectedHeader = "student_id,name,repository"
    private static let requiredColumns = ["student_id", "name", "repository"]

    /// The well-formed entries, in file order; student ids are unique.
    public var entries: [RosterEntry]
    /// The lines that were skipped, in file order.
    public var problems: [RosterProblem]

    /// Creates a roster from parts.
    /// - Parameters:
    ///   - entries: The students.
    ///   - problems: Lines that were skipped.
    public init(entries: [RosterEntry], problems: [RosterProblem] = []) {
        self.entries = entries
        self.problems = problems
    }

    /// Parses roster CSV text.
    ///
    /// Every record after the header becomes either an entry or a problem: wrong number of
    /// fields, empty `student_id`, empty `repository`, a `student_id` already used on an earlier
    /// line (the first one wins), an unterminated quote, or text after a closing quote.
    /// - Parameter text: The whole file's contents.
    /// - Returns: The entries and problems.
    /// - Throws: ``RosterError/invalidHeader(found:reason:)`` when the file is empty or its first
    ///   non-blank line does not name all of `student_id`, `name` and `repository` exactly once.
    public static func parse(_ text: String) throws -> Roster {
        var reader = CSVRecordReader(text)
        var header: CSVRecordReader.Record?
        while let record = reader.next() {
            if !record.isBlank { header = record; break }
        }
        guard let header else { throw RosterError.invalidHeader(found: nil, reason: "no header line") }
        let columns = try columnIndexes(header, text: text)
        let width = header.fields.count
        // Optional columns naming the student in an LMS (first match of each name).
        let lowered = header.fields.map { $0.lowercased() }
        let identityColumns = LMSIdentity.Field.allCases.compactMap { field in
            lowered.firstIndex(of: field.rawValue).map { (field, $0) }
        }

        var roster = Roster(entries: [])
        var firstLineOfID: [String: Int] = [:]
        while let record = reader.next() {
            if record.isBlank { continue }
            func problem(_ message: String) {
                roster.problems.append(RosterProblem(line: record.line, message: message))
            }
            switch record.failure {
            case .unterminatedQuote?:
                problem("a quoted field is never closed; add the closing \" (write \"\" for a quote inside a field)")
                continue
            case .textAfterClosingQuote?:
                problem("text follows a closing quote; quote the whole field, writing \"\" for a quote inside it")
                continue
            case nil:
                break
            }
            guard record.fields.count == width else {
                problem("expected \(width) fields like the header, found \(record.fields.count); quote fields that contain commas")
                continue
            }
            let id = record.fields[columns[0]]
            let name = record.fields[columns[1]]
            let repository = record.fields[columns[2]]
            if id.isEmpty { problem("student_id is empty"); continue }
            if repository.isEmpty { problem("repository is empty for student \(id)"); continue }
            if let tooLong = Self.overLimit(["student_id": id, "name": name, "repository": repository]) {
                problem(tooLong)
                continue
            }
            // Ids and repositories name files and URLs; names may hold any text and are
            // cleaned wherever they are shown.
            if let control = [("student_id", id), ("repository", repository)]
                .first(where: { $0.1.unicodeScalars.contains { $0.properties.generalCategory == .control } })
            {
                problem("\(control.0) contains a control character (a tab, line break or escape); remove it from roster.csv")
                continue
            }
            if let first = firstLineOfID[id] {
                problem("student_id \(id) is already used on line \(first); student ids must be unique")
                continue
            }
            firstLineOfID[id] = record.line
            var identity: [LMSIdentity.Field: String] = [:]
            for (field, index) in identityColumns {
                let value = record.fields[index]
                // Identities go into LMS files as they are: keep them short and printable.
                guard value.count <= 200, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    problem("\(field.rawValue) must be at most 200 characters without control characters; fix it in roster.csv")
                    continue
                }
                identity[field] = value
            }
            roster.entries.append(
                RosterEntry(studentID: id, name: name, repository: repository, line: record.line, identity: LMSIdentity(identity)))
        }
        return roster
    }

    /// Maps each required column to its index in the header, or throws saying what is wrong.
    /// The longest each field may be, in characters: ids and names appear in every table,
    /// export and file name, and a repository is a URL or path.
    public static let fieldLimits: KeyValuePairs<String, Int> = ["student_id": 64, "name": 200, "repository": 2048]

    /// A sentence for the first field over its limit, if any.
    static func overLimit(_ fields: [String: String]) -> String? {
        for (column, limit) in fieldLimits {
            let length = fields[column]?.count ?? 0
            if length > limit {
                return "\(column) is \(length) characters long, over the limit of \(limit); shorten it in roster.csv"
            }
        }
        return nil
    }

    private static func columnIndexes(_ header: CSVRecordReader.Record, text: String) throws -> [Int] {
        let headerLine = text.split(whereSeparator: \.isNewline).first.map(String.init)?
            .replacingOccurrences(of: "\u{FEFF}", with: "")
        guard header.failure == nil else {
            throw RosterError.invalidHeader(found: headerLine, reason: "the header line is not valid CSV")
        }
        let names = header.fields.map { $0.lowercased() }
        var indexes: [Int] = []
        for column in requiredColumns {
            let matches = names.indices.filter { names[$0] == column }
            if matches.isEmpty {
                throw RosterError.invalidHeader(found: headerLine, reason: "column \"\(column)\" is missing")
            }
            if matches.count > 1 {
                throw RosterError.invalidHeader(found: headerLine, reason: "column \"\(column)\" appears twice")
            }
            indexes.append(matches[0])
        }
        return indexes
    }
}
