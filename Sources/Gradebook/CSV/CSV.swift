/// RFC 4180 CSV: the writer, and ``parse(_:)`` on the one reader, ``CSVRecordReader``.
///
/// Writing quotes a field only when it must (it holds a comma, a double quote, a carriage
/// return or a line feed, or starts or ends with a space or tab, which the reader would
/// otherwise drop), doubles quotes inside quoted fields, and ends every record with CRLF.
/// Reading accepts what the writer produces and also bare LF line ends.
public enum CSV {
    /// Encodes records as CSV text, each ending with CRLF.
    ///
    /// - Parameter records: Rows of fields. Rows may differ in length; nothing is padded.
    /// - Returns: The CSV text.
    /// - Complexity: O(total characters).
    public static func encode(_ records: [[String]]) -> String {
        var out = ""
        for record in records {
            out += record.map(field).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    /// Quotes one field if RFC 4180 requires it.
    ///
    /// - Parameter value: The raw field text.
    /// - Returns: `value` unchanged, or wrapped in double quotes with inner quotes doubled.
    /// A text cell made safe for spreadsheets: a value starting with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return is prefixed with `'`, so Excel, LibreOffice and Google Sheets show it
    /// as text instead of evaluating it as a formula (OWASP's advice against CSV injection).
    /// Use it for every cell whose text a student or roster controls; numbers the grader writes
    /// itself stay numbers.
    public static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
    }

    public static func field(_ value: String) -> String {
        let edges: Set<Unicode.Scalar> = [" ", "\t"]
        let needsQuotes =
            value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || value.unicodeScalars.first.map(edges.contains) == true || value.unicodeScalars.last.map(edges.contains) == true
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Decodes CSV text into records of fields, strictly: the first malformed record ends it.
    ///
    /// Built on ``CSVRecordReader`` (one reader for rosters and everything else). A final line
    /// end does not start an empty record; an empty line in the middle is a record with one
    /// empty field.
    ///
    /// - Parameter text: CSV text with CRLF, LF or CR line ends.
    /// - Returns: The records.
    /// - Throws: ``CSVError`` for text after a closing quote or a quoted field that never
    ///   closes, with the line its record starts on.
    /// - Complexity: O(bytes in `text`).
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var reader = CSVRecordReader(text)
        var records: [[String]] = []
        while let record = reader.next() {
            switch record.failure {
            case .textAfterClosingQuote?: throw CSVError(line: record.line, problem: .textAfterClosingQuote)
            case .unterminatedQuote?: throw CSVError(line: record.line, problem: .unterminatedQuote)
            case nil: records.append(record.fields)
            }
        }
        return records
    }
}

/// Why CSV text could not be read, and where.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of malformed CSV.
    public enum Problem: String, Hashable, Sendable {
        /// Characters followed the closing quote of a quoted field.
        case textAfterClosingQuote = "text after the closing quote of a field"
        /// A quoted field was still open at the end of the text.
        case unterminatedQuote = "a quoted field that never closes"
    }
    /// The 1-based line the malformed record starts on.
    public var line: Int
    /// What is wrong.
    public var problem: Problem

    /// What is wrong, where, and what to do.
    public var description: String {
        "CSV line \(line): \(problem.rawValue). Quote fields containing commas or quotes and double inner quotes (\"\")."
    }
}
