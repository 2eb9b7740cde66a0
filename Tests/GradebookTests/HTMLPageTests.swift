import Foundation
import Testing
import TurnstileTestSupport

@testable import Gradebook

/// The HTML feedback and report pages, loaded in headless Chromium (Debian's `chromium`, which
/// `.ci/install-deps` installs): the tests assert on the DOM after the page's own script ran,
/// and keep a screenshot of each page under `.build/test-artifacts/`.
@Suite("HTML pages", .serialized)
struct HTMLPageTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")

    /// Runs headless Chromium on `page` with `arguments` and returns its standard output.
    func chromium(_ arguments: [String], page: URL) throws -> String {
        let binary = try #require(Self.chromium, "headless Chromium is needed: bash .ci/install-deps installs Debian's chromium")
        // Output in a file and a deadline: Chromium's helpers (crash handler, zygote) may keep a
        // pipe open after the browser exits; the whole process group is killed when it does.
        let outcome = try BoundedProcess.run(
            binary,
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(page.deletingLastPathComponent().path)/profile"]
                + arguments + [page.absoluteString], timeout: 120, discardErrors: true)
        try #require(!outcome.timedOut, "headless Chromium did not finish within 120 s")
        return outcome.output
    }

    /// A gradebook with one student whose public check failed with a two-thread schedule, whose
    /// hidden check failed too, and whose name tries to inject a script.
    static func store() throws -> GradebookStore {
        let store = try GradebookStore.inMemory(actor: "tester")
        try store.upsertStudent(StudentRecord(id: "mallory", name: "<script>document.title='pwned'</script>Mallory", repository: "r"))
        try store.upsertStudent(Fixtures.ada)
        try store.upsertAssignment(Fixtures.peterson)
        let run = try store.startRun(assignmentID: "peterson", deadline: nil, checksVersion: "v1")
        let trace = """
              1. main  spawn consumer  PublicChecks.swift:36
              2. consumer  lock buffer  BoundedBuffer.swift:44
              3. consumer  wait notEmpty  BoundedBuffer.swift:46
            """
        let checks = [
            CheckResultRecord(
                checkID: "one-by-one", title: "one producer, one consumer", outcome: .failed, points: 0, maxPoints: 6,
                durationSeconds: 0.5, seed: 0xBEEF, trace: trace, message: "deadlock: consumer waits <forever>",
                visibility: .public, property: "deadlock"),
            CheckResultRecord(
                checkID: "hidden-fifo", title: "hidden order", outcome: .failed, points: 0, maxPoints: 4, durationSeconds: 1,
                trace: "  1. main  spawn secret  HiddenChecks.swift:99", message: "order broken", visibility: .hidden,
                property: "order"),
        ]
        try store.recordSubmission(Fixtures.submission(student: "mallory", score: 0, checks: checks), runID: run)
        try store.recordSubmission(Fixtures.submission(student: "ada", score: 10, checks: [
            CheckResultRecord(checkID: "one-by-one", title: "one producer, one consumer", outcome: .passed, points: 6, maxPoints: 6, durationSeconds: 0.5, visibility: .public),
            CheckResultRecord(checkID: "hidden-fifo", title: "hidden order", outcome: .passed, points: 4, maxPoints: 4, durationSeconds: 1, visibility: .hidden),
        ]), runID: run)
        return store
    }

    @Test("the student page: property, replay, a schedule table with a column per thread that steps, no hidden schedule, no injected script")
    func studentPage() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let page = directory.appendingPathComponent("mallory.html")
            try Self.store().feedbackPage(studentID: "mallory", assignmentID: "peterson").write(to: page, atomically: true, encoding: .utf8)
            let dom = try chromium(["--dump-dom"], page: page)
            #expect(dom.contains("Property broken: <span class=\"property\">deadlock</span>"), "\(dom.prefix(400))")
            #expect(dom.contains("turnstile test one-by-one --replay 0xbeef"))
            #expect(dom.contains("<th>main</th>") && dom.contains("<th>consumer</th>"), "one column per thread")
            #expect(dom.contains("<td class=\"act\">wait notEmpty</td>"))
            // The stepper's script ran: the last step is current and labelled.
            #expect(dom.contains("step 3 of 3"))
            #expect(dom.contains("<tr class=\"current\">"))
            // Escaped, never executed or shown as markup.
            #expect(!dom.contains("pwned") || dom.contains("&lt;script&gt;document.title='pwned'"))
            #expect(dom.contains("<title>Peterson's lock — &lt;script&gt;"), "the title stays the escaped name")
            #expect(dom.contains("deadlock: consumer waits &lt;forever&gt;"))
            #expect(!dom.contains("HiddenChecks.swift:99"), "a hidden check's schedule stays with the grader")
            try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
            let shot = Self.artifacts.appendingPathComponent("feedback-student.png")
            _ = try chromium(["--screenshot=\(shot.path)", "--window-size=1000,900"], page: page)
            #expect(FileManager.default.fileExists(atPath: shot.path))
        }
    }

    @Test("the instructor page: histogram, pass rates, slowest, groups, each student linked")
    func reportPage() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let page = directory.appendingPathComponent("index.html")
            try Self.store().reportPage(assignmentID: "peterson") { "students/\($0).html" }.write(to: page, atomically: true, encoding: .utf8)
            let dom = try chromium(["--dump-dom"], page: page)
            #expect(dom.contains("<td>100%</td>") && dom.contains("<td>0–9%</td>"), "the histogram's bins")
            #expect(dom.contains("1/2 (50%)"), "one of two passed each check")
            #expect(dom.contains("href=\"students/mallory.html\""))
            #expect(dom.contains("one-by-one: deadlock"), "the triage group's signature")
            try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
            let shot = Self.artifacts.appendingPathComponent("report-instructor.png")
            _ = try chromium(["--screenshot=\(shot.path)", "--window-size=1000,900"], page: page)
            #expect(FileManager.default.fileExists(atPath: shot.path))
        }
    }
}
