import Foundation
import Gradebook
import Testing
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

        // Stopped twice having done a whole limit's CPU work (the cgroup measured it): the
        // code's, whatever the load; short of it, the machine's.
        for (cpu, charged) in [(200.0, true), (179.0, false), (nil, false)] as [(Double?, Bool)] {
            let measured = try GradingWorkspace.confirmingStalls(limit: 180) { seconds, _ in
                var result = Self.result(.tooSlow(seconds: Int(seconds)), seconds: seconds)
                result.cpuSeconds = cpu
                return result
            }
            #expect(measured.failure == (charged ? .tooSlow(seconds: 360) : .stalled(seconds: 180, confirmingSeconds: 360)), "\(String(describing: cpu))")
            #expect(measured.diagnostics.hasPrefix("too slow to compile") == charged, "\(measured.diagnostics)")
        }

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
            #expect(what.contains("stopped after 0 s and again after 0 s"), "\(what)")
        }
        #expect(try CompilerImports.unexpected(in: files, allowed: manifest.allowedImports).isEmpty, "the same files, given time, are clean")
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

        manifest.limits.buildSeconds = 1
        let starvedBuild = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
        let built = try #require(try starvedBuild.grade(roster: roster).outcomes.first)
        #expect(built.status == .recorded(.incomplete), "\(built.status): \(built.detail)")
        #expect(built.detail.contains("safety net after 1 s, and again after 2 s"), "\(built.detail)")

        let recorded = try #require(try store.submissionDetail(studentID: "lamport", assignmentID: manifest.id))
        #expect(recorded.submission.status == .incomplete && recorded.submission.commitID == commit)
        #expect(recorded.submission.checks.count == manifest.checks.count)
        #expect(recorded.submission.checks.allSatisfy { $0.outcome == .skipped && $0.message.contains("safety net") })
        #expect(try !store.isGraded(studentID: "lamport", assignmentID: manifest.id, commitID: commit, checksVersion: manifest.checksVersion),
                "an incomplete submission is graded again by the next batch")
    }
}
