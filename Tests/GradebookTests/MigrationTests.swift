import Foundation
import Synchronization
import Testing

@testable import Gradebook

@Suite("Opening files and migrations")
struct MigrationTests {
    @Test("a new file is created with every migration applied, and reopening keeps the data")
    func createsAndReopens() throws {
        try Fixtures.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("course.sqlite").path
            do {
                let store = try GradebookStore(path: path, actor: "tester")
                #expect(try store.summary().appliedMigrations == GradebookSchema.migrator.migrations)
                try store.upsertStudent(Fixtures.ada)
            }
            #expect(FileManager.default.fileExists(atPath: path))
            let reopened = try GradebookStore(path: path)
            let summary = try reopened.summary()
            #expect(summary.appliedMigrations == GradebookSchema.migrator.migrations)
            #expect(summary.students == 1)
            #expect(try reopened.students() == [Fixtures.ada])
        }
    }

    @Test("several processes creating the same new gradebook at once all open it (two graders started together)")
    func concurrentFirstOpens() throws {
        try Fixtures.withTemporaryDirectory { directory in
            for round in 0..<5 {
                let path = directory.appendingPathComponent("race-\(round).sqlite").path
                let failures = Mutex<[String]>([])
                DispatchQueue.concurrentPerform(iterations: 6) { _ in
                    do {
                        let store = try GradebookStore(path: path)
                        _ = try store.grades(assignmentID: nil)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                #expect(failures.withLock { $0 }.isEmpty, "round \(round): \(failures.withLock { $0 })")
            }
        }
    }

    @Test("migrations have distinct, descriptive names")
    func migrationNames() {
        let names = GradebookSchema.migrator.migrations
        #expect(Set(names).count == names.count)
        #expect(names.count >= 5)
        #expect(names.allSatisfy { $0.contains(" ") })
    }

    @Test("a file that is not SQLite is refused as not a gradebook")
    func refusesTextFile() throws {
        try Fixtures.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("notes.sqlite").path
            try String(repeating: "these are not the grades you are looking for\n", count: 100)
                .write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: GradebookError.notAGradebook(path: path)) { try GradebookStore(path: path) }
        }
    }

    @Test("a SQLite file of another application is refused and left untouched")
    func refusesForeignDatabase() throws {
        try Fixtures.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("other.sqlite").path
            do {
                let store = try GradebookStore(path: path)
                try store.executeForTesting("PRAGMA application_id = 42")
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(throws: GradebookError.notAGradebook(path: path)) { try GradebookStore(path: path) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a gradebook migrated by a newer version is refused with the unknown migration named")
    func refusesNewerSchema() throws {
        try Fixtures.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("course.sqlite").path
            do {
                let store = try GradebookStore(path: path)
                try store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('add plagiarism scores')")
            }
            #expect(throws: GradebookError.newerSchema(path: path, unknownMigrations: ["add plagiarism scores"])) {
                try GradebookStore(path: path)
            }
        }
    }

    @Test("a path in a missing directory cannot be opened, and the error says what to do")
    func missingDirectory() throws {
        try Fixtures.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("no/such/dir/course.sqlite").path
            do {
                _ = try GradebookStore(path: path)
                Issue.record("opening \(path) should fail")
            } catch let error as GradebookError {
                guard case .cannotOpen(let failedPath, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(failedPath == path)
                #expect(error.errorDescription?.contains("directory exists") == true)
            }
        }
    }

    @Test("foreign keys are enforced")
    func foreignKeysEnforced() throws {
        let (store, _) = try Fixtures.store()
        #expect(throws: GradebookError.self) {
            try store.executeForTesting(
                "INSERT INTO runs (assignment_id, checks_version, started_at, started_by) VALUES ('nope', 'v1', 0, 'x')"
            )
        }
    }
}
