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
        let fields = LMSIdentity.Field.allCases
        let identityValues = fields.map { s.identity[$0] }
        try write { db in
            let old = try Row.fetchOne(db, sql: "SELECT * FROM students WHERE id = ?", arguments: [s.id])
            let now = Date()
            if let old {
                let (oldName, oldRepository): (String, String) = (old["name"], old["repository"])
                let oldIdentity = Self.identity(from: old)
                if oldName == s.name && oldRepository == s.repository && oldIdentity == s.identity { return }
                let assignments = fields.map { "\($0.rawValue) = ?" }.joined(separator: ", ")
                try db.execute(
                    sql: "UPDATE students SET name = ?, repository = ?, \(assignments), updated_at = ? WHERE id = ?",
                    arguments: StatementArguments([s.name, s.repository] + identityValues.map { $0 as (any DatabaseValueConvertible)? } + [now, s.id]))
                var changes: [String] = []
                if oldName != s.name { changes.append("name \"\(oldName)\" → \"\(s.name)\"") }
                if oldRepository != s.repository { changes.append("repository \(oldRepository) → \(s.repository)") }
                if oldIdentity != s.identity { changes.append("LMS identity updated") }
                try audit(db, .studentUpserted, studentID: s.id, detail: "changed: " + changes.joined(separator: ", "))
            } else {
                let columns = (["id", "name", "repository"] + fields.map(\.rawValue) + ["created_at", "updated_at"]).joined(separator: ", ")
                let marks = Array(repeating: "?", count: 5 + fields.count).joined(separator: ", ")
                try db.execute(
                    sql: "INSERT INTO students (\(columns)) VALUES (\(marks))",
                    arguments: StatementArguments([s.id, s.name, s.repository] + identityValues.map { $0 as (any DatabaseValueConvertible)? } + [now, now]))
                try audit(
                    db, .studentUpserted, studentID: s.id, detail: "added \"\(s.name)\", repository \(s.repository)")
            }
        }
    }

    /// The LMS identity stored in a `students` row.
    static func identity(from row: Row) -> LMSIdentity {
        var values: [LMSIdentity.Field: String] = [:]
        for field in LMSIdentity.Field.allCases {
            if let value: String = row[field.rawValue] { values[field] = value }
        }
        return LMSIdentity(values)
    }

    /// Every student, by id.
    func allStudents(_ db: Database) throws -> [StudentRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM students ORDER BY id").map {
            StudentRecord(id: $0["id"], name: $0["name"], repository: $0["repository"], identity: Self.identity(from: $0))
        }
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
            if let old = try fetchAssignment(db, a.id) {
                if old == a { return }
                try db.execute(
                    sql:
                        "UPDATE assignments SET title = ?, max_score = ?, checks_version = ?, updated_at = ? WHERE id = ?",
                    arguments: [a.title, a.maxScore, a.checksVersion, now, a.id])
                try audit(
                    db, .assignmentUpserted, assignmentID: a.id,
                    detail: "changed: title \"\(old.title)\" → \"\(a.title)\", max \(ScoreText.format(old.maxScore)) → "
                        + "\(ScoreText.format(a.maxScore)), checks \(old.checksVersion) → \(a.checksVersion)")
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO assignments (id, title, max_score, checks_version, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [a.id, a.title, a.maxScore, a.checksVersion, now, now])
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
            try Row.fetchAll(db, sql: "SELECT * FROM assignments ORDER BY id").map(Self.assignment(from:))
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
        try Row.fetchOne(db, sql: "SELECT * FROM assignments WHERE id = ?", arguments: [id]).map(Self.assignment(from:))
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

    static func assignment(from row: Row) -> AssignmentRecord {
        AssignmentRecord(
            id: row["id"], title: row["title"], maxScore: row["max_score"], checksVersion: row["checks_version"])
    }

    /// Throws unless `value` is a finite, non-negative number.
    static func validate(_ value: Double, _ field: String) throws {
        guard value.isFinite && value >= 0 else { throw GradebookError.invalidScore(field: field, value: value) }
    }
}
