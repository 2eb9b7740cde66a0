import Foundation
import Gradebook
import Testing
import TurnstileTestSupport
@testable import Grading

/// The grader's own wall-clock limits on the build and on the compiler's import listing are
/// safety nets, not verdicts: a step stopped once is tried again at a longer limit, and stopped
/// twice the submission is recorded incomplete (graded again by the next batch), never as the
/// student's build failure or refusal. A correct submission on a starved machine once came out
/// `buildFailed` and `rejected` with 0 points.
@Suite(.serialized)
struct SafetyNetTests {
    typealias Result = GradingWorkspace.BuildResult

    static func result(_ failure: GradingWorkspace.BuildFailure?, seconds: Double) -> Result {
        Result(succeeded: failure == nil, diagnostics: failure == nil ? "" : "stopped", seconds: seconds, executable: nil, failure: failure)
    }

    @Test func aStoppedBuildIsTriedOnceMoreAtALongerLimitBeforeItCounts() throws {
        var limits: [TimeInterval] = []
        var confirmations: [Bool] = []
        let recovered = try GradingWorkspace.confirmingStalls(limit: 180) { seconds, isConfirmation in
            limits.append(seconds)
            confirmations.append(isConfirmation)
            return limits.count == 1 ? Self.result(.tooSlow(seconds: 180), seconds: 180) : Self.result(nil, seconds: 2)
        }
        #expect(limits == [180, 360] && confirmations == [false, true])
        #expect(recovered.succeeded && recovered.failure == nil)
        #expect(recovered.seconds == 182, "both attempts' time is the build's time")

        limits = []
        let stalled = try GradingWorkspace.confirmingStalls(limit: 180) { seconds, _ in
            limits.append(seconds)
            return Self.result(.tooSlow(seconds: Int(seconds)), seconds: seconds)
        }
        #expect(limits == [180, 360])
        #expect(stalled.failure == .stalled(seconds: 180, confirmingSeconds: 360))
        #expect(stalled.diagnostics.contains("safety net after 180 s, and again after 360 s"), "\(stalled.diagnostics)")

        // The build's time is its CPU seconds (the cgroup measured them): at least the limit
        // is the code's, whether the build finished (an idle many-core machine) or was stopped
        // (a loaded one); short of it, a stop is the machine's. Without a measure, stopped
        // twice is stalled.
        for (cpu, charged) in [(200.0, true), (179.0, false), (nil, false)] as [(Double?, Bool)] {
            var calls = 0
            let measured = try GradingWorkspace.confirmingStalls(limit: 180) { seconds, _ in
                calls += 1
                var result = Self.result(.tooSlow(seconds: Int(seconds)), seconds: seconds)
                result.cpuSeconds = cpu
                return result
            }
            #expect(measured.failure == (charged ? .tooSlow(seconds: 180) : .stalled(seconds: 180, confirmingSeconds: 360)), "\(String(describing: cpu))")
            #expect(measured.diagnostics.hasPrefix("too slow to compile") == charged, "\(measured.diagnostics)")
            #expect(calls == (charged ? 1 : 2), "a limit's CPU work is charged at once, without a confirming build")
        }
        for cpu in [400.0, 2.5] {
            let finished = try GradingWorkspace.confirmingStalls(limit: 180) { _, _ in
                var result = Self.result(nil, seconds: cpu / 4)
                result.executable = URL(fileURLWithPath: "/nonexistent/checks")
                result.cpuSeconds = cpu
                return result
            }
            #expect(finished.succeeded == (cpu < 180) && (finished.executable == nil) == (cpu >= 180), "\(cpu)")
            #expect(finished.failure == (cpu < 180 ? nil : .tooSlow(seconds: 180)))
            if cpu >= 180 { #expect(finished.diagnostics.contains("used 400 s of CPU time (all its processes together) to build this code")) }
        }
        // Stopped once short of the limit's CPU, then finishing with it used up: charged.
        var attempts = 0
        let confirmedSlow = try GradingWorkspace.confirmingStalls(limit: 180) { seconds, _ in
            attempts += 1
            var result = attempts == 1 ? Self.result(.tooSlow(seconds: 180), seconds: 180) : Self.result(nil, seconds: 250)
            result.cpuSeconds = attempts == 1 ? 90 : 250
            return result
        }
        #expect(attempts == 2 && confirmedSlow.failure == .tooSlow(seconds: 180) && !confirmedSlow.succeeded)

        // Killed by the machine's OOM killer (not the build's limit): tried again like a stop;
        // killed twice, stalled, with that reason.
        attempts = 0
        let killed = try GradingWorkspace.confirmingStalls(limit: 180) { _, _ in
            attempts += 1
            return Self.result(.killedFromOutside, seconds: 4)
        }
        #expect(attempts == 2 && killed.failure == .stalled(seconds: 180, confirmingSeconds: 360))
        #expect(killed.diagnostics.contains("out-of-memory killer"), "\(killed.diagnostics)")

        // What the wall clock did not decide counts at once: one build, no confirmation.
        for failure: GradingWorkspace.BuildFailure in [.compileErrors, .memoryLimit(mebibytes: 4096)] {
            var calls = 0
            let counted = try GradingWorkspace.confirmingStalls(limit: 180) { _, _ in
                calls += 1
                return Self.result(failure, seconds: 3)
            }
            #expect(calls == 1 && counted.failure == failure)
        }
    }

    @Test func anImportListingStoppedTwiceIsStalledNotARefusal() throws {
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        let files = manifest.studentFiles.map { layout.path(manifest.solutionDirectory).appendingPathComponent($0) }
        do {
            let refused = try CompilerImports.unexpected(in: files, allowed: manifest.allowedImports, seconds: 0.001)
            Issue.record("a listing stopped twice gave a verdict: \(refused)")
        } catch GradingError.stalled(let what) {
            #expect(what.contains("stopped after 0 s and again stopped after 0 s"), "\(what)")
        }
        #expect(try CompilerImports.unexpected(in: files, allowed: manifest.allowedImports).isEmpty, "the same files, given time, are clean")
    }

    /// A listing killed by `SIGKILL` the grader did not send (the machine's OOM killer) is the
    /// machine's: tried once more, and killed again it is stalled, never a refusal. A crash
    /// signal is the compiler's own failure on the code: refused at once, without a retry.
    @Test func anImportListingKilledFromOutsideIsRetriedAndACrashIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-listing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("Student.swift")
        try Data("import Foundation\n".utf8).write(to: source)
        let calls = directory.appendingPathComponent("calls")
        func standIn(_ name: String, _ body: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            // Close-on-exec, so a process another test spawns meanwhile does not keep it open
            // for writing (which makes executing it fail with ETXTBSY).
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
            let text = "#!/bin/bash\necho call >> \(calls.path)\n\(body)\n"
            #expect(descriptor >= 0 && write(descriptor, text, text.utf8.count) == text.utf8.count)
            close(descriptor)
            return path
        }
        func callCount() -> Int {
            ((try? String(contentsOf: calls, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        // Killed from outside twice: stalled, after exactly two listings.
        let killed = try standIn("killed", "kill -KILL $$")
        do {
            let refused = try CompilerImports.unexpected(in: [source], allowed: [], compiler: killed)
            Issue.record("a listing killed from outside twice gave a verdict: \(refused)")
        } catch GradingError.stalled(let what) {
            #expect(what.contains("killed from outside (signal 9) and again killed from outside"), "\(what)")
        }
        #expect(callCount() == 2)

        // Killed once, then it lists: the second listing is the answer.
        try? FileManager.default.removeItem(at: calls)
        let once = try standIn("once", "[ $(wc -l < \(calls.path)) -eq 1 ] && kill -KILL $$\necho Swift\necho Foundation")
        #expect(try CompilerImports.unexpected(in: [source], allowed: [], compiler: once) == ["Foundation"])
        #expect(callCount() == 2)

        // A crash of the compiler on the code fails closed at once: one listing, a refusal.
        try? FileManager.default.removeItem(at: calls)
        let crashes = try standIn("crashes", "ulimit -c 0\nkill -SEGV $$")
        #expect(try CompilerImports.unexpected(in: [source], allowed: [], compiler: crashes) == ["(the compiler could not list this code's imports)"])
        #expect(callCount() == 1)
    }

    /// Whose an OOM kill was: the run's own only when its group reached its limit; a kill in a
    /// group that never did (the machine, or a parent group, ran out) is the machine's.
    static func kills(_ killed: Int?, _ limitReached: Int) -> [Bool] {
        let kills = RunCgroup.oomKills(killed: killed, limitReached: limitReached)
        return [kills.atLimit, kills.fromOutside]
    }

    @Test func anOOMKillIsTheRunsOnlyWhenItsGroupReachedItsLimit() {
        #expect(Self.kills(1, 3) == [true, false])
        #expect(Self.kills(1, 0) == [false, true])
        #expect(Self.kills(0, 5) == [false, false], "reclaimed at the limit, nobody killed")
        #expect(Self.kills(0, 0) == [false, false])
        #expect(Self.kills(nil, 2) == [true, false], "an old kernel without the kill counter")
        #expect(SandboxOutcome.Termination.killedFromOutside.description.contains("not at the run's own memory limit"))
        // Reaching the limit shows in the peak even where the failure counters stay 0.
        #expect(RunCgroup.nearLimit(peak: 1 << 30, limit: 1 << 30))
        #expect(RunCgroup.nearLimit(peak: (1 << 30) - (16 << 20), limit: 1 << 30))
        #expect(!RunCgroup.nearLimit(peak: 200 << 20, limit: 1 << 30))
        #expect(!RunCgroup.nearLimit(peak: nil, limit: 1 << 30) && !RunCgroup.nearLimit(peak: 1 << 30, limit: nil))
    }

    /// The warm-up builds the course's reference solution; one that does not build stops
    /// nobody's grade silently: it says the course is broken and how to find out why.
    @Test func aReferenceSolutionThatDoesNotBuildIsTheCoursesError() throws {
        let layout = try CourseLayout.locate()
        var manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-warm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let broken = root.appendingPathComponent("solution")
        for file in manifest.studentFiles {
            let url = broken.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("public struct NotTheContract { let x: Int = \"text\" }\n".utf8).write(to: url)
        }
        // The manifest names its solution relative to the course root.
        manifest.solutionDirectory = String(repeating: "../", count: layout.root.standardizedFileURL.pathComponents.count - 1)
            + String(broken.standardizedFileURL.path.dropFirst())
        let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
        try workspace.prepare()
        do {
            try workspace.warmUp(sandbox: nil)
            Issue.record("a solution that does not compile warmed the workspace up")
        } catch GradingError.io(let what) {
            #expect(what.contains("reference solution of producer-consumer does not build"), "\(what)")
            #expect(what.contains("turnstile validate producer-consumer"), "\(what)")
        }
    }

    /// The status detail of an incomplete submission reaches the student (feedback, and
    /// Gradescope before the due date): public checks by id, hidden ones only counted.
    @Test func stoppedHiddenChecksAreCountedNotNamed() {
        func record(_ id: String, _ visibility: CheckVisibility) -> CheckResultRecord {
            CheckResultRecord(checkID: id, title: id, outcome: .incomplete, points: 0, maxPoints: 10, durationSeconds: 60, visibility: visibility)
        }
        #expect(GradingPipeline.naming([record("fifo", .public), record("oversize-frame", .hidden), record("vanishing-clients", .hidden)])
            == "fifo, 2 hidden checks")
        #expect(GradingPipeline.naming([record("oversize-frame", .hidden)]) == "a hidden check")
        #expect(GradingPipeline.naming([record("fifo", .public), record("order", .public)]) == "fifo, order")
    }

    /// End to end through the batch: the reference solution, committed, graded once with a
    /// starved import listing and once with a build limit the build cannot meet. Both times the
    /// gradebook holds `incomplete` with the reason, no score, and the commit counts as not yet
    /// graded, so the next batch grades it.
    @Test func aBatchWhoseImportListingOrBuildStallsRecordsIncomplete() throws {
        let layout = try CourseLayout.locate()
        var manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        let fixture = try GitFixture()
        defer { fixture.remove() }
        for file in manifest.studentFiles {
            let source = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)
            try fixture.write(file, source)
        }
        try fixture.git("add", "-A")
        try fixture.git("commit", "-q", "-m", "solution", date: 1_760_000_000)
        let commit = try fixture.git("rev-parse", "HEAD")
        let roster = Roster(entries: [RosterEntry(studentID: "lamport", name: "Leslie Lamport", repository: fixture.work.path)])
        let store = try GradebookStore(path: fixture.root.appendingPathComponent("gradebook.sqlite").path)
        let options = GradingOptions(deadline: nil, cacheDirectory: fixture.root.appendingPathComponent("cache"), useSandbox: false)

        let starvedListing = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options, importListingSeconds: 0.001)
        let listed = try #require(try starvedListing.grade(roster: roster).outcomes.first)
        #expect(listed.status == .recorded(.incomplete), "\(listed.status): \(listed.detail)")
        #expect(listed.detail.contains("import listing was stopped") && listed.detail.contains("not charged to the student"), "\(listed.detail)")

        // A build stopped at 1 s and again at 2 s: the submission with a type-checker bomb added
        // (the warmed-up workspace would build the solution alone in about a second); unsandboxed,
        // no cgroup measures its CPU, so it cannot be charged and is stalled.
        let file = manifest.studentFiles[0]
        let source = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)
        try fixture.write(file, source + "\n" + TypeCheckerBomb.declarations)
        try fixture.git("commit", "-q", "-am", "bomb", date: 1_760_000_100)
        let bombCommit = try fixture.git("rev-parse", "HEAD")
        manifest.limits.buildSeconds = 1
        let starvedBuild = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
        let built = try #require(try starvedBuild.grade(roster: roster).outcomes.first)
        #expect(built.status == .recorded(.incomplete), "\(built.status): \(built.detail)")
        #expect(built.detail.contains("safety net after 1 s, and again after 2 s"), "\(built.detail)")

        let recorded = try #require(try store.submissionDetail(studentID: "lamport", assignmentID: manifest.id))
        #expect(recorded.submission.status == .incomplete && recorded.submission.commitID == bombCommit)
        #expect(recorded.submission.checks.count == manifest.checks.count)
        #expect(recorded.submission.checks.allSatisfy { $0.outcome == .skipped && $0.message.contains("safety net") })
        #expect(try !store.isGraded(studentID: "lamport", assignmentID: manifest.id, commitID: commit, checksVersion: manifest.checksVersion))
        #expect(try !store.isGraded(studentID: "lamport", assignmentID: manifest.id, commitID: bombCommit, checksVersion: manifest.checksVersion),
                "an incomplete submission is graded again by the next batch")
    }
}
