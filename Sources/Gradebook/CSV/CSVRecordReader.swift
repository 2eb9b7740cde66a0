/// The CSV reader: splits RFC 4180 text into records, one record at a time, remembering the line
/// each starts on. Rosters are read with it, and ``CSV/parse(_:)`` is built on it, so there is one
/// reading of CSV in Turnstile.
///
/// The reader works on UTF-8 bytes: the delimiters (comma, double quote, CR, LF) are ASCII, so a
/// multi-byte character can never be mistaken for one. Quoted fields may hold commas, doubled
/// quotes (`""`) and line breaks. Records end at LF, CRLF or a lone CR.
///
/// Recovery: a quoted field that is still open at the end of the text is reported as
/// ``Record/Failure/unterminatedQuote`` and reading resumes on the physical line after the one
/// the broken record started on, so one stray quote costs one record, not the rest of the file.
///
/// Leniency, for files people edit by hand: spaces and tabs around an unquoted field are
/// dropped (quote a field to keep them; ``CSV/field(_:)`` does), and a double quote inside an
/// unquoted field is an ordinary character.
public struct CSVRecordReader {
    /// One record, or the reason it could not be read.
    public struct Record: Sendable, Equatable {
        /// Why a record could not be split into fields.
        public enum Failure: Sendable, Equatable {
            /// A quoted field was never closed.
            case unterminatedQuote
            /// A closing quote was followed by text other than a comma or a line break.
            case textAfterClosingQuote
        }

        /// The 1-based physical line the record starts on.
        public var line: Int
        /// The fields, with the quoting removed (empty when `failure` is set).
        public var fields: [String]
        /// Set when the record is malformed.
        public var failure: Failure?
        /// True for a record that is empty or only spaces and tabs.
        public var isBlank: Bool
    }

    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    /// Creates a reader over `text`, skipping a leading byte order mark.
    public init(_ text: String) {
        bytes = Array(text.utf8)
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Returns the next record, or nil at the end of the text.
    public mutating func next() -> Record? {
        guard position < bytes.count else { return nil }
        let startPosition = position, startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var wasQuoted = false
        var failure: Record.Failure?

        func finishField() {
            let text = String(decoding: field, as: UTF8.self)
            fields.append(wasQuoted ? text : text.trimmingSpacesAndTabs())
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }

        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.quote, field.allSatisfy({ $0 == 0x20 || $0 == 0x09 }), !wasQuoted {
                // Opening quote (leading blanks before it are dropped).
                field.removeAll()
                wasQuoted = true
                position += 1
                guard readQuotedBody(into: &field) else {
                    // Unterminated: resume on the line after the record's first line.
                    position = startPosition
                    line = startLine
                    skipPhysicalLine()
                    return Record(line: startLine, fields: [], failure: .unterminatedQuote, isBlank: false)
                }
                while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
                if position < bytes.count, ![Self.comma, Self.cr, Self.lf].contains(bytes[position]) {
                    failure = failure ?? .textAfterClosingQuote
                    skipToDelimiter()
                }
                continue
            }
            if byte == Self.comma {
                finishField()
                position += 1
            } else if byte == Self.cr || byte == Self.lf {
                consumeLineBreak()
                break
            } else {
                field.append(byte)
                position += 1
            }
        }
        finishField()
        let blank = fields.count == 1 && fields[0].isEmpty && !bytes[startPosition...].starts(with: [Self.quote])
        if failure != nil { fields = [] }
        return Record(line: startLine, fields: fields, failure: failure, isBlank: blank)
    }

    /// Reads a quoted body after the opening quote; returns false if the text ends inside it.
    private mutating func readQuotedBody(into field: inout [UInt8]) -> Bool {
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == Self.quote {
                if position < bytes.count, bytes[position] == Self.quote {
                    field.append(Self.quote)
                    position += 1
                } else {
                    return true
                }
            } else {
                if byte == Self.lf || (byte == Self.cr && (position >= bytes.count || bytes[position] != Self.lf)) {
                    line += 1
                }
                field.append(byte)
            }
        }
        return false
    }

    /// Skips text after a closing quote up to the next delimiter, so the record stays aligned.
    private mutating func skipToDelimiter() {
        while position < bytes.count, ![Self.comma, Self.cr, Self.lf].contains(bytes[position]) {
            position += 1
        }
    }

    private mutating func consumeLineBreak() {
        if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
            position += 1
        }
        position += 1
        line += 1
    }

    private mutating func skipPhysicalLine() {
        while position < bytes.count, bytes[position] != Self.cr, bytes[position] != Self.lf {
            position += 1
        }
        if position < bytes.count { consumeLineBreak() }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpacesAndTabs() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }),
            let last = lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(self[first...last])
    }
}
