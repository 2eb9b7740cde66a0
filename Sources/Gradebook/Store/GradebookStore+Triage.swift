import Foundation
import GRDB

extension GradebookStore {
    /// Groups the current submissions of an assignment that did not get full marks by how they
    /// failed: the same status, the same scored checks lost, each with the same property broken
    /// (an assertion's declared property, or the kind the engine found: deadlock, livelock, …).
    /// Unscored checks (real threads) and what the checks' messages say in detail do not split
    /// groups, so two students with the same bug land together even when their schedules differ.
    ///
    /// - Returns: Largest group first (ties by signature); full marks are left out.
    /// - Throws: ``GradebookError/unknownAssignment(_:)``; ``GradebookError/database(message:)``.
    public func triage(assignmentID: String) throws -> [TriageGroup] {
        try read { db in
            _ = try requireAssignment(db, assignmentID)
            let grades = try currentSubmissions(db, assignmentID: assignmentID).map(\.gradeRow)
            let checks = try checks(db, submissionIDs: grades.map(\.submissionID))
            var groups: [[String]: TriageGroup] = [:]
            for grade in grades {
                let all = checks[grade.submissionID] ?? []
                let lost = all.filter { $0.maxPoints > 0 && $0.outcome != .passed }
                var signature: [String] = grade.status == .graded ? [] : ["status: \(grade.status.rawValue)"]
                signature += lost.map { "\($0.checkID): \($0.property ?? $0.outcome.rawValue)" }
                guard !signature.isEmpty else { continue }
                let example = lost.first.map(\.message) ?? ""
                groups[signature, default: TriageGroup(signature: signature, students: [], example: example.firstLine)]
                    .students.append(grade.studentID)
            }
            return groups.values.sorted {
                $0.students.count != $1.students.count
                    ? $0.students.count > $1.students.count
                    : $0.signature.lexicographicallyPrecedes($1.signature)
            }
        }
    }

}
