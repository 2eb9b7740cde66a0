import Foundation
import Gradebook

/// One check of a graded submission, run again against the commit that was graded.
public struct CheckReplay: Sendable {
    /// The submission as the gradebook has it (its current grade).
    public var submission: SubmissionRecord
    /// The check's result as recorded when it was graded.
    public var recorded: CheckResultRecord
    /// Where the commit's files came from: the cached mirror, or the files kept at collection.
    public var source: String
    /// The run just made: verdict, message, and the full trace (hidden checks included).
    public var result: CheckProcess.Result
    /// Whether the rerun's verdict equals the recorded one. For a controlled check anything
    /// else is a finding: the check, the engine or the checks version changed.
    public var sameVerdict: Bool
    /// Whether the checks have changed since the submission was graded (another
    /// ``AssignmentManifest/checksVersion``), in which case a different verdict is expected.
    public var checksChanged: Bool
}

extension GradingPipeline {
    /// Runs check `checkID` again on the commit recorded as `studentID`'s current grade, in the
    /// same sandbox and workspace as grading, and returns the run with its full trace: how an
    /// instructor sees exactly why a hidden check failed.
    ///
    /// A controlled check is a function of the commit, so its rerun gives the recorded verdict
    /// and the same first failing schedule; with `executionSeed` only that one schedule is run
    /// (the seed the feedback shows instructors for a random or PCT check). A check on real
    /// threads is a fresh run.
    ///
    /// The commit's files come from the cached mirror of the student's repository, else from
    /// the files kept when the commit was collected. Blocking: builds and runs one check.
    /// - Throws: ``GradingError/io(_:)`` naming what is missing and what to do: no submission,
    ///   no commit, an unknown check, or the commit's files in neither place.
    public func replay(studentID: String, checkID: String, executionSeed: UInt64? = nil) throws -> CheckReplay {
        guard let check = manifest.checks.first(where: { $0.id == checkID }) else {
            throw GradingError.io("\(manifest.id) has no check '\(checkID)'; its checks are \(manifest.checks.map(\.id).joined(separator: ", "))")
        }
        guard let detail = try store.submissionDetail(studentID: studentID, assignmentID: manifest.id) else {
            throw GradingError.io("the gradebook has no submission of \(studentID) for \(manifest.id); grade it first (`turnstile grade \(manifest.id) --roster …`)")
        }
        let submission = detail.submission
        guard let commitID = submission.commitID else {
            throw GradingError.io("\(studentID)'s submission for \(manifest.id) has no commit (status \(submission.status.rawValue)), so there is nothing to replay")
        }
        guard let recorded = submission.checks.first(where: { $0.checkID == checkID }) else {
            throw GradingError.io("\(studentID)'s submission at \(commitID.prefix(12)) has no result for \(checkID) (status \(submission.status.rawValue)); it was not run then")
        }
        let directory = options.cacheDirectory.appendingPathComponent("replay/\(Self.safeName(studentID))")
        try? FileManager.default.removeItem(at: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try restoreCommit(commitID, studentID: studentID, into: directory)
        if case .refused(let refusals) = try vetting.vet(directory) {
            throw GradingError.io("the commit's files are refused by this assignment's vetting now: \(refusals.joined(separator: "; "))")
        }
        try workspace.prepare()
        try workspace.warmUp(sandbox: buildSandbox)
        try workspace.install(submission: directory)
        let build = try workspace.build(sandbox: buildSandbox, confirmingStalls: true)
        if case .stalled = build.failure { throw GradingError.stalled(build.diagnostics) }
        guard build.succeeded, let executable = build.executable else {
            throw GradingError.io("the graded commit \(commitID.prefix(12)) does not compile with the current checks:\n\(build.diagnostics)")
        }
        let result = try checkProcess.run(
            checkID: checkID, executable: executable, replay: executionSeed, wallSeconds: check.wallSeconds, counterpart: build.program,
            counterpartInstances: check.programs ?? 1)
        let outcome = result.verdict.outcome
        return CheckReplay(
            submission: submission, recorded: recorded, source: source, result: result,
            sameVerdict: outcome == recorded.outcome, checksChanged: submission.checksVersion != manifest.checksVersion)
    }

    /// Writes the student files of `commitID` under `directory`: from the cached mirror, else
    /// from the files kept at collection. Returns which.
    private func restoreCommit(_ commitID: String, studentID: String, into directory: URL) throws -> String {
        let mirror = mirrorDirectory(studentID: studentID)
        if FileManager.default.fileExists(atPath: mirror.path),
            let extracted = try? fetcher.extract(paths: manifest.studentFiles, at: commitID, in: mirror, to: directory),
            extracted.allSatisfy({ Self.problem($0) == nil })
        {
            return "the cached mirror \(mirror.path)"
        }
        try? FileManager.default.removeItem(at: directory)
        if try restoreKeptFiles(studentID: studentID, commitID: commitID, into: directory) {
            return "the files kept when the commit was collected"
        }
        throw GradingError.io("the files of commit \(commitID.prefix(12)) are neither in the cache (\(mirror.path)) nor kept from a collection; pass the --cache the batch used, or run `turnstile grade` again to fetch the repository")
    }
}
