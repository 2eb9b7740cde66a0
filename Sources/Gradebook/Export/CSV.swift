/// A small RFC 4180 CSV writer and reader.
///
/// Writing quotes a field only when it must (it holds a comma, a double quote, a carriage
/// return or a line feed), doubles quotes inside quoted fields, and ends every record with
/// CRLF. Reading accepts what the writer produces and also bare LF line ends.
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
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Decodes CSV text into records of fields.
    ///
    /// A final line end does not start an empty record; an empty line in the middle is a
    /// record with one empty field.
    ///
    /// - Parameter text: CSV text with CRLF or LF line ends.
    /// - Returns: The records.
    /// - Throws: ``CSVError`` for a quote inside an unquoted field, text after a closing
    ///   quote, or a quoted field that never closes.
    /// - Complexity: O(characters in `text`).
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var closedQuote = false
        var line = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return scalars.next()
        }
        func endField() {
            record.append(String(field))
            field = .init()
            closedQuote = false
        }
        func endRecord() {
            endField()
            records.append(record)
            record = []
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        closedQuote = true
                        pending = following
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",": endField()
            case "\r", "\n":
                if c == "\r" {
                    let following = next()
                    if following != "\n" { pending = following }
                }
                endRecord()
                line += 1
            case "\"":
                guard field.isEmpty && !closedQuote else { throw CSVError(line: line, problem: .quoteInUnquotedField) }
                inQuotes = true
            default:
                if closedQuote { throw CSVError(line: line, problem: .textAfterClosingQuote) }
                field.append(c)
            }
        }
        if inQuotes { throw CSVError(line: line, problem: .unterminatedQuote) }
        if !field.isEmpty || !record.isEmpty || closedQuote { endRecord() }
        return records
    }
}

/// Why CSV text could not be read, and where.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of malformed CSV.
    public enum Problem: String, Hashable, Sendable {
        /// A `"` appeared inside a field that did not start with one.
        case quoteInUnquotedField = "a double quote inside an unquoted field"
        /// Characters followed the closing quote of a quoted field.
        case textAfterClosingQuote = "text after the closing quote of a field"
        /// A quoted field was still open at the end of the text.
        case unterminatedQuote = "a quoted field that never closes"
    }
    /// 1-based line where the problem was found.
    public var line: Int
    /// What is wrong.
    public var problem: Problem

    /// What is wrong, where, and what to do.
    public var description: String {
        "CSV line \(line): \(problem.rawValue). Quote fields containing commas or quotes and double inner quotes (\"\")."
    }
}
