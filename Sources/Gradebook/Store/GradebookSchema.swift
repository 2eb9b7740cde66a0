import GRDB

/// The gradebook's schema, built only through migrations.
///
/// Never edit a registered migration once it has shipped: add a new one with a name that
/// says what it changes. A file carrying a migration this list does not know was written by
/// a newer Turnstile and is refused (``GradebookError/newerSchema(path:unknownMigrations:)``).
enum GradebookSchema {
    /// `PRAGMA application_id` of every gradebook: "TSGB" in ASCII. Lets the store tell its
    /// own files from other SQLite databases.
    static let applicationID: Int32 = 0x5453_4742

    /// The migrator with every migration, in order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("mark file as a Turnstile gradebook (application_id)") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        migrator.registerMigration("create students and assignments") { db in
            try db.create(table: "students") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("repository", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "assignments") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("max_score", .double).notNull()
                t.column("checks_version", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("create runs and submissions with resume and latest-submission indexes") { db in
            try db.create(table: "runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("assignment_id", .text).notNull().references("assignments", onDelete: .restrict)
                t.column("deadline", .datetime)
                t.column("checks_version", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("started_by", .text).notNull()
                t.column("finished_at", .datetime)
                t.column("summary", .text)
            }
            try db.create(index: "runs_on_assignment", on: "runs", columns: ["assignment_id"])
            try db.create(table: "submissions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("student_id", .text).notNull().references("students", onDelete: .restrict)
                t.column("assignment_id", .text).notNull().references("assignments", onDelete: .restrict)
                t.column("run_id", .integer).notNull().references("runs", onDelete: .restrict)
                t.column("repository", .text).notNull()
                t.column("commit_id", .text)
                t.column("commit_time", .datetime)
                t.column("fetched_at", .datetime).notNull()
                t.column("status", .text).notNull()
                t.column("status_detail", .text).notNull()
                t.column("checks_version", .text).notNull()
                t.column("build_seconds", .double)
                t.column("graded_at", .datetime).notNull()
                t.column("recorded_at", .datetime).notNull()
            }
            // Latest submission per student and assignment is MAX(id) within this index.
            try db.create(
                index: "submissions_on_student_assignment", on: "submissions",
                columns: ["student_id", "assignment_id", "id"])
            // Resume: was this commit already graded with these checks?
            try db.create(
                index: "submissions_on_commit_checks", on: "submissions",
                columns: ["student_id", "assignment_id", "commit_id", "checks_version"])
            try db.create(index: "submissions_on_run", on: "submissions", columns: ["run_id"])
            try db.create(index: "submissions_on_assignment", on: "submissions", columns: ["assignment_id"])
        }
        migrator.registerMigration("create check results, one per check id and submission") { db in
            try db.create(table: "check_results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("submission_id", .integer).notNull().references("submissions", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("check_id", .text).notNull()
                t.column("title", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("points", .double).notNull()
                t.column("max_points", .double).notNull()
                t.column("duration_seconds", .double).notNull()
                // Decimal text: SQLite integers are signed 64-bit and seeds are unsigned.
                t.column("seed", .text)
                t.column("trace", .text)
                t.column("message", .text).notNull()
                t.column("visibility", .text).notNull()
                t.uniqueKey(["submission_id", "check_id"])
            }
        }
        migrator.registerMigration("create grades with late penalty and instructor override") { db in
            try db.create(table: "grades") { t in
                t.primaryKey("submission_id", .integer).references("submissions", onDelete: .cascade)
                t.column("score", .double).notNull()
                t.column("max_score", .double).notNull()
                t.column("late_penalty", .double).notNull()
                t.column("override_score", .double)
                t.column("override_reason", .text)
                t.column("override_by", .text)
                t.column("override_at", .datetime)
            }
        }
        migrator.registerMigration("create audit trail") { db in
            // No foreign keys: the trail must outlive anything it mentions.
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("student_id", .text)
                t.column("assignment_id", .text)
                t.column("detail", .text).notNull()
            }
        }
        migrator.registerMigration("create collections: commits pinned when fetched at a deadline") { db in
            try db.create(table: "collections") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("student_id", .text).notNull().references("students", onDelete: .cascade)
                t.column("assignment_id", .text).notNull().references("assignments", onDelete: .cascade)
                t.column("repository", .text).notNull()
                t.column("commit_id", .text).notNull()
                t.column("commit_time", .datetime).notNull()
                t.column("collected_at", .datetime).notNull()
            }
            try db.create(index: "collections_by_student", on: "collections", columns: ["student_id", "assignment_id", "collected_at"])
        }
        migrator.registerMigration("create sightings: when the grader first saw each commit, and pinned files") { db in
            try db.create(table: "sightings") { t in
                t.column("student_id", .text).notNull().references("students", onDelete: .cascade)
                t.column("assignment_id", .text).notNull().references("assignments", onDelete: .cascade)
                t.column("commit_id", .text).notNull()
                t.column("first_seen_at", .datetime).notNull()
                t.primaryKey(["student_id", "assignment_id", "commit_id"])
            }
            try db.create(table: "pinned_files") { t in
                t.column("student_id", .text).notNull().references("students", onDelete: .cascade)
                t.column("assignment_id", .text).notNull().references("assignments", onDelete: .cascade)
                t.column("commit_id", .text).notNull()
                t.column("path", .text).notNull()
                t.column("sha256", .text).notNull()
                t.primaryKey(["student_id", "assignment_id", "commit_id", "path"])
            }
        }
        migrator.registerMigration("check results keep the student's own output and the property a failure broke") { db in
            try db.alter(table: "check_results") { t in
                t.add(column: "student_output", .text)
                t.add(column: "property", .text)
            }
        }
        migrator.registerMigration("students keep how LMSs know them (optional roster columns)") { db in
            try db.alter(table: "students") { t in
                for field in LMSIdentity.Field.allCases { t.add(column: field.rawValue, .text) }
            }
        }
        return migrator
    }()
}
