import Foundation
import Testing

@testable import Gradebook

/// Shared test data and helpers.
enum Fixtures {
    /// A fixed instant with whole seconds (the store keeps milliseconds).
    static let t0 = Date(timeIntervalSince1970: 1_740_000_000)

    static let ada = StudentRecord(id: "ada", name: "Ada Lovelace", repository: "https://git.example/ada.git")
    static let tricky = StudentRecord(
        id: "obrien", name: "O'Brien, \"Bobby\"\nJr.", repository: "https://git.example/obrien.git")
    static let peterson = AssignmentRecord(id: "peterson", title: "Peterson's lock", maxScore: 10, checksVersion: "v1")
    static let buffer = AssignmentRecord(id: "buffer", title: "Bounded buffer", maxScore: 20, checksVersion: "v1")

    static func checks(failingSeed: UInt64? = 12_345) -> [CheckResultRecord] {
        [
            CheckResultRecord(
                checkID: "mutex", title: "Mutual exclusion", outcome: .passed, points: 6, maxPoints: 6,
                durationSeconds: 0.25, seed: 7, message: "", visibility: .public),
            CheckResultRecord(
                checkID: "progress", title: "Progress", outcome: .failed, points: 0, maxPoints: 4,
                durationSeconds: 1.5, seed: failingSeed,
                trace: "T0 lock peterson.swift:12\nT1 lock peterson.swift:12\ndeadlock: T0 → T1 → T0",
                message: "Both threads wait forever, with \"quotes\", commas, and\na second line.",
                visibility: .hidden),
        ]
    }

    static func submission(
        student: String = "ada", assignment: String = "peterson", commit: String? = "c0ffee",
        status: SubmissionStatus = .graded, score: Double = 6, latePenalty: Double = 0,
        checksVersion: String = "v1", checks: [CheckResultRecord]? = nil, gradedAt: Date = t0
    ) -> SubmissionRecord {
        SubmissionRecord(
            studentID: student, assignmentID: assignment, repository: "https://git.example/\(student).git",
            commitID: commit, commitTime: commit == nil ? nil : t0.addingTimeInterval(-3600),
            fetchedAt: t0.addingTimeInterval(-60), status: status, statusDetail: status == .graded ? "" : "details",
            checks: checks ?? Self.checks(), score: score, maxScore: 10, latePenalty: latePenalty, gradedAt: gradedAt,
            checksVersion: checksVersion, buildSeconds: 3.5)
    }

    /// An in-memory store holding `ada`, `obrien`, both assignments, and one run of `peterson`.
    static func store() throws -> (GradebookStore, runID: Int64) {
        let store = try GradebookStore.inMemory(actor: "tester")
        try store.upsertStudent(ada)
        try store.upsertStudent(tricky)
        try store.upsertAssignment(peterson)
        try store.upsertAssignment(buffer)
        let run = try store.startRun(assignmentID: "peterson", deadline: t0, checksVersion: "v1")
        return (store, run)
    }

    /// Runs `body` with a fresh temporary directory that is removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradebook-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }
}
