import Testing

@testable import Gradebook

@Suite("RFC 4180 CSV")
struct CSVTests {
    @Test("fields are quoted only when needed, with inner quotes doubled and CRLF record ends")
    func encoding() {
        #expect(CSV.encode([["a", "b c", ""]]) == "a,b c,\r\n")
        #expect(
            CSV.encode([["x,y", "say \"hi\"", "two\nlines", "cr\rhere"]])
                == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n")
    }

    @Test("parse inverts encode for awkward fields")
    func roundTrip() throws {
        let records = [
            ["plain", "", "comma, inside", "\"quoted\"", "multi\r\nline", "trailing \"", "ünïcødé 🎓"],
            ["", "", "", "", "", "", ""],
            ["\"", ",", "\n", "\r\n", "a\"\"b", " spaced ", "=1+2"],
        ]
        #expect(try CSV.parse(CSV.encode(records)) == records)
    }

    @Test("bare LF line ends and a missing final line end are accepted")
    func lenientLineEnds() throws {
        #expect(try CSV.parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try CSV.parse("a,b\n") == [["a", "b"]])
        #expect(try CSV.parse("") == [])
    }

    @Test("a quote inside an unquoted field is text, and spaces around unquoted fields are dropped (quoted, they stay)")
    func lenientFields() throws {
        #expect(try CSV.parse("a,b\"c\n d ,\" e \"") == [["a", "b\"c"], ["d", " e "]])
        #expect(CSV.encode([[" e ", "\tf"]]) == "\" e \",\"\tf\"\r\n")
    }

    @Test("malformed input is reported with the line its record starts on")
    func errors() {
        #expect(throws: CSVError(line: 2, problem: .textAfterClosingQuote)) { try CSV.parse("a\n\"b\"c") }
        #expect(throws: CSVError(line: 1, problem: .textAfterClosingQuote)) { try CSV.parse("\"a\"b") }
        #expect(throws: CSVError(line: 2, problem: .unterminatedQuote)) { try CSV.parse("x\n\"a\nb") }
    }
}
