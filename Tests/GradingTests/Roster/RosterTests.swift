import Foundation
import Grading
import Gradebook
import Testing

@Suite struct RosterTests {
    @Test func readsPlainRosterInFileOrder() throws {
        let roster = try Roster.parse(
            "student_id,name,repository\ns1,Ada Lovelace,https://git.example/ada.git\ns2,Alan Turing,/srv/git/alan\n")
        #expect(roster.problems.isEmpty)
        #expect(
            roster.entries == [
                RosterEntry(studentID: "s1", name: "Ada Lovelace", repository: "https://git.example/ada.git", line: 2),
                RosterEntry(studentID: "s2", name: "Alan Turing", repository: "/srv/git/alan", line: 3),
            ])
    }

    @Test func handlesQuotingBomCrlfAndColumnOrder() throws {
        let text = "\u{FEFF}Repository , NAME,section,Student_ID\r\n"
            + "\"file:///r/a,b\",\"Smith, \"\"Jo\"\"\",A1, s1 \r\n"
            + "\r\n"
            + "  \t \n"
            + "/r/c,\"Line\nBreak\",B2,s2\r\n"
            + "/r/d,Dee,C3,s3"
        let roster = try Roster.parse(text)
        #expect(roster.problems.isEmpty)
        #expect(roster.entries.map(\.studentID) == ["s1", "s2", "s3"])
        #expect(roster.entries[0].repository == "file:///r/a,b")
        #expect(roster.entries[0].name == "Smith, \"Jo\"")
        #expect(roster.entries[1].name == "Line\nBreak")
        // Line numbers are physical lines: the quoted line break pushes s3 to line 7.
        #expect(roster.entries.map(\.line) == [2, 5, 7])
    }

    @Test func reportsMalformedLinesAndKeepsTheRest() throws {
        let text = """
            student_id,name,repository
            s1,One,/r/1
            s2,Two
            ,Nobody,/r/x
            s1,Again,/r/1b
            s5,"Five"x,/r/5
            s3,"Three,/r/3
            s4,Four,/r/4
            s6,Six,
            s7,Seven,/r/7,extra
            """
        let roster = try Roster.parse(text)
        #expect(roster.entries.map(\.studentID) == ["s1", "s4"])
        // The unterminated quote on line 7 runs to the end of the file; reading resumes on line 8.
        #expect(roster.problems.map(\.line) == [3, 4, 5, 6, 7, 9, 10])
        let messages = roster.problems.map(\.message)
        #expect(messages[0].contains("expected 3 fields"))
        #expect(messages[1].contains("student_id is empty"))
        #expect(messages[2].contains("already used on line 2"))
        #expect(messages[3].contains("closing quote"))
        #expect(messages[4].contains("never closed"))
        #expect(messages[5].contains("repository is empty"))
        #expect(messages[6].contains("found 4"))
    }

    /// The optional LMS columns ride along with each student; other extra columns are ignored.
    @Test func readsOptionalLMSIdentityColumns() throws {
        let roster = try Roster.parse(
            "Student_ID,name,repository,Email,canvas_id,section,notes,lti_user_id\n"
                + "ada,Ada,/r/ada,ada@example.edu,4711,Lab A,likes tea,\n"
                + "bob,Bob,/r/bob,,,,,sub-9\n")
        #expect(roster.problems.isEmpty)
        #expect(roster.entries[0].identity == LMSIdentity([.email: "ada@example.edu", .canvasID: "4711", .section: "Lab A"]))
        #expect(roster.entries[1].identity == LMSIdentity([.ltiUserID: "sub-9"]))
    }

    @Test func unterminatedQuoteOnLastLineIsReported() throws {
        let roster = try Roster.parse("student_id,name,repository\ns1,\"Open,/r/1\n")
        #expect(roster.entries.isEmpty)
        #expect(roster.problems == [RosterProblem(line: 2, message: roster.problems.first?.message ?? "")])
        #expect(roster.problems.first?.message.contains("never closed") == true)
    }

    @Test(arguments: [
        ("", "the roster is empty"),
        ("\n\n", "the roster is empty"),
        ("id,name,repository\ns1,a,b", "\"student_id\" is missing"),
        ("student_id,name\ns1,a", "\"repository\" is missing"),
        ("student_id,name,repository,name\n", "\"name\" appears twice"),
    ])
    func rejectsMissingOrWrongHeader(text: String, reason: String) {
        #expect {
            try Roster.parse(text)
        } throws: { error in
            let message = (error as? RosterError)?.description ?? ""
            return message.contains(reason) && message.contains(Roster.expectedHeader)
        }
    }

    @Test func allowsBlanksAroundQuotedFields() throws {
        let roster = try Roster.parse("student_id,name,repository\n \"s1\" , \"A, B\"\t,/r/1\n")
        #expect(roster.problems.isEmpty)
        #expect(roster.entries.first.map { [$0.studentID, $0.name, $0.repository] } == ["s1", "A, B", "/r/1"])
    }

    @Test func headerOnlyGivesEmptyRoster() throws {
        let roster = try Roster.parse("student_id,name,repository\r\n")
        #expect(roster.entries.isEmpty && roster.problems.isEmpty)
    }

    @Test func keepsNonASCIIText() throws {
        let roster = try Roster.parse("student_id,name,repository\nü1,\"Zoë, Ångström\",/r/é\n")
        #expect(roster.entries.first?.name == "Zoë, Ångström")
        #expect(roster.entries.first?.studentID == "ü1")
    }
}
