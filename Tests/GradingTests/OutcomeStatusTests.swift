import Foundation
import Gradebook
import Grading
import Testing

/// A batch outcome's status is a closed vocabulary, written as one name in JSON.
@Suite struct OutcomeStatusTests {
    @Test func encodesAsItsNameAndReadsItBack() throws {
        let statuses: [OutcomeStatus] = [.recorded(.graded), .recorded(.authenticationFailed), .skipped, .collected]
        let data = try JSONEncoder().encode(statuses)
        #expect(String(decoding: data, as: UTF8.self) == #"["graded","authenticationFailed","skipped","collected"]"#)
        #expect(try JSONDecoder().decode([OutcomeStatus].self, from: data) == statuses)
        #expect(OutcomeStatus("buildFailed")?.recorded == .buildFailed)
        #expect(OutcomeStatus.skipped.recorded == nil)
    }

    @Test func anUnknownNameIsAnError() {
        #expect(OutcomeStatus("gradedish") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OutcomeStatus.self, from: Data(#""gradedish""#.utf8)) }
    }
}
