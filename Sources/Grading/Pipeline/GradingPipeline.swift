import CheckKit
import Foundation
import Gradebook

/// Grades every student of a roster for one assignment: fetch (libgit2), pick the commit, take
/// only the student-owned regular files, vet them, build them into the grader's own workspace,
/// run each check in its own sandboxed process, score, and record everything for the student
/// in one gradebook transaction.
///
/// One student's failure (no repository, no commit before the deadline, a build error, a check
/// that hangs) is recorded for that student and the batch goes on. Already-graded commits are
/// skipped, so an interrupted batch resumes without loss or duplicates.
///
/// Blocking: runs on the calling thread, one student at a time.
public final class GradingPipeline: Sendable {
    /// The course checkout.
    public let layout: CourseLayout
    /// The assignment being graded.
    public let manifest: AssignmentManifest
    /// Where runs, students and submissions are recorded.
    public let store: GradebookStore
    /// The deadline, sandboxing, cache and regrade choices of this batch.
    public let options: GradingOptions
    let fetcher = RepositoryFetcher()
    let workspace: GradingWorkspace
    let checkProcess: CheckProcess
    let vetting: SubmissionVetting
    /// Where student code is compiled: the sandbox, when checks run in one.
    let buildSandbox: Sandbox?

    /// Prepares a pipeline.
    /// - Throws: ``GradingError/sandboxUnavailable(_:)`` if the sandbox is wanted but cannot run.
    public init(layout: CourseLayout, manifest: AssignmentManifest, store: GradebookStore, options: GradingOptions) throws {
        self.layout = layout
        self.manifest = manifest
        self.store = store
        self.options = options
        workspace = GradingWorkspace(
            layout: layout, manifest: manifest,
            directory: options.cacheDirectory.appendingPathComponent("workspaces/\(manifest.id)"))
        vetting = try SubmissionVetting(manifest: manifest, layout: layout)
        let policy = CheckProcess.policy(for: manifest.limits)
        if options.useSandbox {
            let availability = Sandbox.probe()
            guard availability.isAvailable else { throw GradingError.sandboxUnavailable(availability.description) }
            let gradebookDirectory = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
            let hidden = Self.hideable([layout.root.path, options.cacheDirectory.path, gradebookDirectory, "/root", "/home"])
            let sandbox = Sandbox()
            checkProcess = CheckProcess(isolation: .sandbox(sandbox, hiddenPaths: hidden), policy: policy)
            buildSandbox = sandbox
        } else {
            checkProcess = CheckProcess(isolation: .none, policy: policy)
            buildSandbox = nil
        }
    }

    /// Grades every roster entry, calling `progress` after each student.
    public func grade(roster: Roster, progress: (StudentOutcome) -> Void = { _ in }) throws -> BatchSummary {
        try workspace.prepare()
        try store.upsertAssignment(AssignmentRecord(
            id: manifest.id, title: manifest.title, maxScore: manifest.maxScore, checksVersion: manifest.checksVersion))
        let runID = try store.startRun(assignmentID: manifest.id, deadline: options.deadline, checksVersion: manifest.checksVersion)
        var outcomes: [StudentOutcome] = []
        for entry in roster.entries {
            let outcome = gradeStudent(entry, runID: runID)
            outcomes.append(outcome)
            progress(outcome)
        }
        let graded = outcomes.filter { $0.status == SubmissionStatus.graded.rawValue }.count
        try store.finishRun(runID, summary: "\(graded) of \(outcomes.count) graded; \(roster.problems.count) roster lines skipped")
        return BatchSummary(outcomes: outcomes, rosterProblems: roster.problems.map(\.description))
    }

    /// Grades one student and records the result; never throws (a failure becomes a status).
    func gradeStudent(_ entry: RosterEntry, runID: Int64) -> StudentOutcome {
        let start = Date()
        var attempt = SubmissionAttempt(entry: entry, manifest: manifest)
        do {
            try store.upsertStudent(StudentRecord(id: entry.studentID, name: entry.name, repository: entry.repository))
            try run(&attempt)
        } catch let error as SubmissionAttempt.Stop {
            attempt.status = error.status
            attempt.detail = error.detail
        } catch {
            attempt.status = .internalError
            attempt.detail = "\(error.localizedDescription)"
        }
        if attempt.status == .graded && attempt.skipped {
            return attempt.outcome(seconds: Date().timeIntervalSince(start), recorded: false)
        }
        do {
            try store.recordSubmission(attempt.record(checksVersion: manifest.checksVersion), runID: runID)
        } catch {
            attempt.status = .internalError
            attempt.detail += " (and the gradebook refused the record: \(error.localizedDescription))"
        }
        return attempt.outcome(seconds: Date().timeIntervalSince(start), recorded: true)
    }

    private func run(_ attempt: inout SubmissionAttempt) throws {
        let entry = attempt.entry
        let mirror = options.cacheDirectory.appendingPathComponent("mirrors/\(Self.safeName(entry.studentID)).git")
        do {
            _ = try fetcher.fetch(repository: entry.repository, into: mirror)
        } catch {
            throw SubmissionAttempt.Stop(.fetchFailed, error.localizedDescription)
        }
        attempt.fetchedAt = Date()
        var pinned: CollectionRecord?
        if let deadline = options.deadline {
            pinned = try? store.collection(studentID: entry.studentID, assignmentID: manifest.id, atOrAfter: deadline)
            attempt.note = pinned.map { "graded from the commit collected at \(ISO8601DateFormatter().string(from: $0.collectedAt))" }
                ?? (attempt.fetchedAt > deadline ? "no collection at the deadline: commit times are as the student's machine claimed (run `turnstile collect` at the deadline)" : "")
        }
        let commit = try selectCommit(mirror: mirror, startingAt: pinned?.commitID, attempt: &attempt)
        attempt.commit = commit
        if !options.regrade,
            (try? store.isGraded(studentID: entry.studentID, assignmentID: manifest.id, commitID: commit.id, checksVersion: manifest.checksVersion)) == true
        {
            attempt.skipped = true
            attempt.status = .graded
            attempt.detail = "already graded at this commit with these checks (pass --regrade to grade again)"
            return
        }
        let submission = options.cacheDirectory.appendingPathComponent("submissions/\(Self.safeName(entry.studentID))")
        try? FileManager.default.removeItem(at: submission)
        let extracted: [ExtractedFile]
        do {
            extracted = try fetcher.extract(paths: manifest.studentFiles, at: commit.id, in: mirror, to: submission)
        } catch {
            throw SubmissionAttempt.Stop(.internalError, "cannot read the commit's files: \(error.localizedDescription)")
        }
        let problems = extracted.compactMap(Self.problem)
        guard problems.isEmpty else { throw SubmissionAttempt.Stop(.rejected, problems.joined(separator: "; ")) }
        let verdict = try vetting.vet(submission)
        if case .refused(let refusals) = verdict {
            throw SubmissionAttempt.Stop(.rejected, "the code uses what this assignment forbids: " + refusals.joined(separator: "; "))
        }
        try workspace.install(submission: submission)
        let build = try workspace.build(sandbox: buildSandbox)
        attempt.buildSeconds = build.seconds
        if case .unparsable(let lines) = verdict, build.succeeded {
            throw SubmissionAttempt.Stop(.rejected, "the grader cannot parse this code although it compiles; rewrite: " + lines.joined(separator: "; "))
        }
        guard build.succeeded, let executable = build.executable else {
            attempt.checks = manifest.checks.map { attempt.skippedCheck($0, reason: "not run: the code did not compile") }
            throw SubmissionAttempt.Stop(.buildFailed, "the code does not compile:\n" + build.diagnostics)
        }
        for check in manifest.checks {
            let result = try checkProcess.run(checkID: check.id, executable: executable, wallSeconds: check.wallSeconds)
            attempt.checks.append(attempt.checkRecord(check, result))
        }
        let stopped = attempt.checks.filter { $0.outcome == .incomplete }.map(\.checkID)
        attempt.status = stopped.isEmpty ? .graded : .incomplete
        if !stopped.isEmpty {
            attempt.detail = "stopped by the wall-clock safety net before finishing: \(stopped.joined(separator: ", ")); run the batch again (on a less loaded machine, or with a higher wallSeconds)"
        }
    }

    private func selectCommit(mirror: URL, startingAt pinned: String?, attempt: inout SubmissionAttempt) throws -> CommitInfo {
        do {
            guard let deadline = options.deadline else { return try fetcher.lastCommit(in: mirror, atOrBefore: nil) }
            if options.allowLate, manifest.latePolicy.maxDaysLate > 0 {
                // Late work was pushed after any collection at the deadline, so it is judged by the tip.
                let window = deadline.addingTimeInterval(Double(manifest.latePolicy.maxDaysLate) * 86_400)
                let latest = try fetcher.lastCommit(in: mirror, atOrBefore: window)
                let grace = deadline.addingTimeInterval(Double(manifest.latePolicy.graceMinutes) * 60)
                if latest.time > grace {
                    let days = Int((latest.time.timeIntervalSince(deadline) / 86_400).rounded(.up))
                    attempt.lateDays = days
                }
                return latest
            }
            return try fetcher.lastCommit(in: mirror, atOrBefore: deadline, startingAt: pinned)
        } catch let error as FetchError {
            if case .noCommitBeforeDeadline = error {
                throw SubmissionAttempt.Stop(.noCommitBeforeDeadline, error.localizedDescription)
            }
            throw SubmissionAttempt.Stop(.fetchFailed, error.localizedDescription)
        }
    }

    static func problem(_ file: ExtractedFile) -> String? {
        switch file.status {
        case .written: nil
        case .missing: "\(file.path) is missing from the commit; it must exist at exactly that path"
        case .notRegularFile(let kind): "\(file.path) is a \(kind.rawValue), not a regular file; only regular files are taken"
        case .tooLarge(let bytes): "\(file.path) is \(bytes) bytes, over the 1 MiB limit"
        }
    }

    /// Pins every roster student's current branch tip for this assignment: run at the deadline,
    /// so that grading later takes only what existed then, whatever dates later commits claim.
    /// A student whose repository cannot be fetched is reported and skipped.
    public func collect(roster: Roster, progress: (StudentOutcome) -> Void = { _ in }) throws -> BatchSummary {
        try store.upsertAssignment(AssignmentRecord(
            id: manifest.id, title: manifest.title, maxScore: manifest.maxScore, checksVersion: manifest.checksVersion))
        var outcomes: [StudentOutcome] = []
        for entry in roster.entries {
            let start = Date()
            var outcome = StudentOutcome(
                studentID: entry.studentID, name: entry.name, status: "collected", detail: "", score: 0, maxScore: 0,
                commitID: nil, seconds: 0, buildSeconds: nil, isProblem: false)
            do {
                try store.upsertStudent(StudentRecord(id: entry.studentID, name: entry.name, repository: entry.repository))
                let mirror = options.cacheDirectory.appendingPathComponent("mirrors/\(Self.safeName(entry.studentID)).git")
                _ = try fetcher.fetch(repository: entry.repository, into: mirror)
                let collectedAt = Date()
                let tip = try fetcher.lastCommit(in: mirror, atOrBefore: nil)
                try store.recordCollection(CollectionRecord(
                    studentID: entry.studentID, assignmentID: manifest.id, repository: entry.repository, commitID: tip.id,
                    commitTime: tip.time, collectedAt: collectedAt))
                outcome.commitID = tip.id
            } catch {
                outcome.status = SubmissionStatus.fetchFailed.rawValue
                outcome.detail = error.localizedDescription
                outcome.isProblem = true
            }
            outcome.seconds = Date().timeIntervalSince(start)
            outcomes.append(outcome)
            progress(outcome)
        }
        return BatchSummary(outcomes: outcomes, rosterProblems: roster.problems.map(\.description))
    }

    /// Directories the sandbox covers, minus any whose hiding would hide the system itself.
    static func hideable(_ paths: [String]) -> [String] {
        let system = ["/", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/opt", "/opt/swift", "/dev", "/proc", "/sys"]
        var seen: Set<String> = []
        return paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { path in
            !system.contains(path) && !system.contains(where: { $0 != "/" && path.hasPrefix($0 + "/") && $0 != "/opt" }) && seen.insert(path).inserted
        }
    }

    /// A file-system-safe version of a student id.
    static func safeName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
