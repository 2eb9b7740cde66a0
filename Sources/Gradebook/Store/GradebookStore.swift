import Foundation
import GRDB

/// The course gradebook: one SQLite file holding students, assignments, grading runs,
/// submissions with their per-check results, grades with late penalties and overrides,
/// and an audit trail.
///
/// ## Thread safety
/// A `GradebookStore` is `Sendable` and may be shared by any threads or tasks. Every call
/// goes through one GRDB `DatabaseQueue`, which serializes them: a call blocks the calling
/// thread until its turn has come and its transaction has committed. Each mutating call is
/// one transaction, so a crash or an error never leaves half of it written. Other processes
/// may open the same file; SQLite's file locks serialize them, and a call waits up to five
/// seconds for another process's transaction before failing with
/// ``GradebookError/database(message:)``.
///
/// ## Latest submission, regrades and overrides
/// Every ``recordSubmission(_:runID:)`` adds a new submission row, even for a commit
/// already graded with the same checks: nothing is replaced silently, and the history stays.
/// A student's grade on an assignment is the grade of their most recently *recorded*
/// submission (highest row id), whatever dates the records carry. An instructor override
/// belongs to the student and assignment: a new submission inherits the override in force,
/// and the audit entry of the submission says so. Use
/// ``clearOverride(studentID:assignmentID:by:)`` to return to the computed score.
///
/// Dates are stored with millisecond precision.
public final class GradebookStore: Sendable {
    let queue: DatabaseQueue
    /// Where the gradebook lives, or `:memory:`.
    public let path: String
    /// Who the audit trail names for changes made through this store (not for overrides,
    /// which name their own `by`).
    public let actor: String

    /// The audit actor used when none is given: the `USER` environment variable, or `turnstile`.
    public static var defaultActor: String {
        ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "turnstile"
    }

    /// Opens the gradebook at `path`, creating the file if it is missing, and brings its
    /// schema up to date.
    ///
    /// - Parameters:
    ///   - path: File path of the gradebook. The directory must exist.
    ///   - actor: Name the audit trail records for changes made through this store.
    /// - Throws: ``GradebookError/cannotOpen(path:reason:)`` if the file cannot be opened or
    ///   created, ``GradebookError/notAGradebook(path:)`` if it is some other file,
    ///   ``GradebookError/newerSchema(path:unknownMigrations:)`` if a newer Turnstile wrote it.
    public init(path: String, actor: String = GradebookStore.defaultActor) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "Turnstile gradebook"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw GradebookError.notAGradebook(path: path)
        } catch let error as DatabaseError {
            throw GradebookError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        try Self.migrate(queue, path: path)
        self.queue = queue
        self.path = path
        self.actor = actor
    }

    /// Creates an empty gradebook in memory, for tests and demos; it vanishes with the store.
    ///
    /// - Parameter actor: Name the audit trail records for changes made through this store.
    /// - Returns: A migrated, empty gradebook.
    /// - Throws: ``GradebookError/database(message:)`` if SQLite cannot create it.
    public static func inMemory(actor: String = GradebookStore.defaultActor) throws -> GradebookStore {
        try GradebookStore(queue: mapped { try DatabaseQueue() }, path: ":memory:", actor: actor)
    }

    private init(queue: DatabaseQueue, path: String, actor: String) throws {
        try Self.migrate(queue, path: path)
        self.queue = queue
        self.path = path
        self.actor = actor
    }

    /// Refuses foreign and newer files, then applies the migrations this version knows.
    private static func migrate(_ queue: DatabaseQueue, path: String) throws {
        let migrator = GradebookSchema.migrator
        do {
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
                // A new, empty file, or one another process is creating right now (its migrator
                // has made its bookkeeping table but not yet committed the first migration).
                if applicationID == 0 && (tables.isEmpty || tables == ["grdb_migrations"]) { return }
                guard applicationID == GradebookSchema.applicationID else {
                    throw GradebookError.notAGradebook(path: path)
                }
                if try migrator.hasBeenSuperseded(db) {
                    let known = Set(migrator.migrations)
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                    throw GradebookError.newerSchema(path: path, unknownMigrations: unknown)
                }
            }
            try migrateAllowingConcurrentOpeners(migrator, queue)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw GradebookError.notAGradebook(path: path)
        } catch let error as DatabaseError {
            throw GradebookError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// Applies the migrations; when another process creates the same new gradebook at the same
    /// moment (two graders started together), its migrations may land between ours, so a failed
    /// attempt is retried after that process has finished (each migration is its own
    /// transaction, and an applied one is skipped).
    private static func migrateAllowingConcurrentOpeners(_ migrator: DatabaseMigrator, _ queue: DatabaseQueue) throws {
        for attempt in 1...5 {
            do {
                try migrator.migrate(queue)
                return
            } catch let error as DatabaseError where attempt < 5 && error.resultCode != .SQLITE_NOTADB {
                Thread.sleep(forTimeInterval: 0.2 * Double(attempt))
            }
        }
    }

    /// Runs `body` in one write transaction, mapping SQLite errors to ``GradebookError``.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapped { try queue.write(body) }
    }

    /// Runs `body` with read access, mapping SQLite errors to ``GradebookError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapped { try queue.read(body) }
    }

    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw GradebookError.database(message: error.message ?? "\(error.resultCode)")
        } catch let error as RowDecodingError {
            throw GradebookError.database(message: "a stored row cannot be read (written by a newer Turnstile?): \(error)")
        } catch let error as DecodingError {
            throw GradebookError.database(message: "a stored value cannot be read (written by a newer Turnstile?): \(error)")
        }
    }

    /// Appends one line to the audit trail, inside the caller's transaction.
    func audit(
        _ db: Database, _ action: AuditAction, actor: String? = nil, studentID: String? = nil,
        assignmentID: String? = nil, detail: String
    ) throws {
        var entry = StoredAuditEntry(
            at: Date(), actor: actor ?? self.actor, action: action, studentID: studentID, assignmentID: assignmentID,
            detail: detail)
        try entry.insert(db)
    }
}

extension GradebookStore {
    /// Test hook: runs raw SQL in one write transaction, so tests can fake files written by
    /// other tools or newer versions. Internal: only `@testable` imports reach it.
    func executeForTesting(_ sql: String) throws {
        try write { db in try db.execute(sql: sql) }
    }
}
