import Foundation
import GRDB

extension GradebookStore {
    /// Adds a student, or updates the name and repository of an existing one.
    ///
    /// Writes an audit entry only when something changed, so re-importing a roster is quiet.
    ///
    /// - Parameter s: The student; `id` is the key.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func upsertStudent(_ s: StudentRecord) throws {
        try write { db in
            let now = Date()
            if var stored = try StoredStudent.fetchOne(db, key: s.id) {
                let old = stored.record
                if old == s { return }
                stored.name = s.name
                stored.repository = s.repository
                stored.identity = s.identity
                stored.updatedAt = now
                try stored.update(db)
                var changes: [String] = []
                if old.name != s.name { changes.append("name \"\(old.name)\" → \"\(s.name)\"") }
                if old.repository != s.repository { changes.append("repository \(old.repository) → \(s.repository)") }
                if old.identity != s.identity { changes.append("LMS identity updated") }
                try audit(db, .studentUpserted, studentID: s.id, detail: "changed: " + changes.joined(separator: ", "))
            } else {
                try StoredStudent(s, at: now).insert(db)
                try audit(
                    db, .studentUpserted, studentID: s.id, detail: "added \"\(s.name)\", repository \(s.repository)")
            }
        }
    }

    /// Every student, by id.
    func allStudents(_ db: Database) throws -> [StudentRecord] {
        try StoredStudent.order(Column("id")).fetchAll(db).map(\.record)
    }

    /// Adds an assignment, or updates the title, maximum and checks version of an existing one.
    ///
    /// Writes an audit entry only when something changed.
    ///
    /// - Parameter a: The assignment; `id` is the key.
    /// - Throws: ``GradebookError/invalidScore(field:value:)`` if `maxScore` is negative or
    ///   not finite; ``GradebookError/database(message:)`` if SQLite fails.
    public func upsertAssignment(_ a: AssignmentRecord) throws {
        try Self.validate(a.maxScore, "maximum score")
        try write { db in
            let now = Date()
            if var stored = try StoredAssignment.fetchOne(db, key: a.id) {
                let old = stored.record
                if old == a { return }
                stored.title = a.title
                stored.maxScore = a.maxScore
                stored.checksVersion = a.checksVersion
                stored.updatedAt = now
                try stored.update(db)
                try audit(
                    db, .assignmentUpserted, assignmentID: a.id,
                    detail: "changed: title \"\(old.title)\" → \"\(a.title)\", max \(ScoreText.format(old.maxScore)) → "
                        + "\(ScoreText.format(a.maxScore)), checks \(old.checksVersion) → \(a.checksVersion)")
            } else {
                try StoredAssignment(a, at: now).insert(db)
                try audit(
                    db, .assignmentUpserted, assignmentID: a.id,
                    detail: "added \"\(a.title)\", max \(ScoreText.format(a.maxScore)), checks \(a.checksVersion)")
            }
        }
    }

    /// Every student, ordered by id.
    ///
    /// - Returns: The roster as stored.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func students() throws -> [StudentRecord] {
        try read { db in try allStudents(db) }
    }

    /// Every assignment, ordered by id.
    ///
    /// - Returns: The assignments as stored.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func assignments() throws -> [AssignmentRecord] {
        try read { db in
            try StoredAssignment.order(Column("id")).fetchAll(db).map(\.record)
        }
    }

    /// Row counts and applied migrations.
    ///
    /// - Returns: A snapshot taken in one read transaction.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite fails.
    public func summary() throws -> GradebookSummary {
        try read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return GradebookSummary(
                students: try count("students"), assignments: try count("assignments"), runs: try count("runs"),
                submissions: try count("submissions"), checkResults: try count("check_results"),
                grades: try count("grades"), auditEntries: try count("audit"),
                appliedMigrations: try GradebookSchema.migrator.appliedMigrations(db))
        }
    }

    func fetchAssignment(_ db: Database, _ id: String) throws -> AssignmentRecord? {
        try StoredAssignment.fetchOne(db, key: id)?.record
    }

    func requireStudent(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM students WHERE id = ?", arguments: [id]) != nil else {
            throw GradebookError.unknownStudent(id)
        }
    }

    func requireAssignment(_ db: Database, _ id: String) throws -> AssignmentRecord {
        guard let assignment = try fetchAssignment(db, id) else { throw GradebookError.unknownAssignment(id) }
        return assignment
    }

    /// Throws unless `value` is a finite, non-negative number.
    static func validate(_ value: Double, _ field: String) throws {
        guard value.isFinite && value >= 0 else { throw GradebookError.invalidScore(field: field, value: value) }
    }
}
