import Foundation
import Testing

@testable import Gradebook

@Suite("Collections pinned at a deadline")
struct CollectionTests {
    @Test("the first collection at or after the deadline is the one that counts, and it is audited")
    func firstCollectionAfterTheDeadlineCounts() throws {
        let (store, _) = try Fixtures.store()
        let deadline = Date(timeIntervalSince1970: 1_800_000_000)
        func collect(_ commit: String, at offset: TimeInterval) throws {
            try store.recordCollection(CollectionRecord(
                studentID: "ada", assignmentID: "peterson", repository: "/repos/ada", commitID: commit,
                commitTime: deadline.addingTimeInterval(-3_600), collectedAt: deadline.addingTimeInterval(offset)))
        }
        try collect("before", at: -60)
        #expect(try store.collection(studentID: "ada", assignmentID: "peterson", atOrAfter: deadline) == nil)
        try collect("later", at: 600)
        try collect("first", at: 5)
        let pinned = try #require(try store.collection(studentID: "ada", assignmentID: "peterson", atOrAfter: deadline))
        #expect(pinned.commitID == "first")
        #expect(try store.auditTrail(limit: 10).filter { $0.action == .commitCollected }.count == 3)
        #expect(throws: GradebookError.unknownStudent("nobody")) {
            try store.recordCollection(CollectionRecord(
                studentID: "nobody", assignmentID: "peterson", repository: "", commitID: "x", commitTime: deadline,
                collectedAt: deadline))
        }
    }
}
