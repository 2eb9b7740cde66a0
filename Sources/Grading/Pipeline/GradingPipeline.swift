import CheckKit
import Foundation
import Gradebook
import Synchronization

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
    /// The student files of every collected commit, beside the gradebook.
    let pinnedStore: PinnedFileStore
    /// Where student code is compiled: the sandbox, when checks run in one.
    let buildSandbox: Sandbox?
    /// File names of the hidden checks' sources, kept out of the messages students read.
    let hiddenCheckFiles: [String]
    /// The workspaces this pipeline has warmed up (``GradingWorkspace/warmUp(sandbox:)``), by path.
    let warmedWorkspaces = Mutex<Set<String>>([])

    /// Prepares a pipeline.
    /// - Throws: ``GradingError/sandboxUnavailable(_:)`` if the sandbox is wanted but cannot run.
    public convenience init(layout: CourseLayout, manifest: AssignmentManifest, store: GradebookStore, options: GradingOptions) throws {
        try self.init(layout: layout, manifest: manifest, store: store, options: options, importListingSeconds: CompilerImports.limitSeconds)
    }

    /// A pipeline whose compiler import listing has its own safety net (a test starves it).
    init(layout: CourseLayout, manifest: AssignmentManifest, store: GradebookStore, options: GradingOptions, importListingSeconds: TimeInterval) throws {
        self.layout = layout
        self.manifest = manifest
        self.store = store
        self.options = options
        workspace = GradingWorkspace(
            layout: layout, manifest: manifest,
            directory: options.cacheDirectory.appendingPathComponent("workspaces/\(manifest.id)"))
        var vetting = try SubmissionVetting(manifest: manifest, layout: layout)
        vetting.importListingSeconds = importListingSeconds
        self.vetting = vetting
        pinnedStore = PinnedFileStore(gradebookPath: store.path)
        hiddenCheckFiles = ((try? FileManager.default.contentsOfDirectory(atPath: layout.path(manifest.hiddenChecks).path)) ?? [])
            .filter { $0.hasSuffix(".swift") }
        let policy = CheckProcess.policy(for: manifest.limits)
        if options.useSandbox {
            let availability = Sandbox.probe()
            guard availability.isAvailable else { throw GradingError.sandboxUnavailable(availability.description) }
            let gradebookDirectory = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
            let hidden = Self.hideable([layout.root.path, options.cacheDirectory.path, gradebookDirectory, "/root", "/home"])
            // Checks of several workers run at once: each run gets a user of its own, so one
            // run's threads never count against another's process limit.
            checkProcess = CheckProcess(isolation: .sandbox(Sandbox(distinctUserPerRun: true), hiddenPaths: hidden), policy: policy)
            buildSandbox = Sandbox()
        } else {
            checkProcess = CheckProcess(isolation: .none, policy: policy)
            buildSandbox = nil
        }
    }

    /// Grades every roster entry, calling `progress` after each student.
    public func grade(roster: Roster, progress: (StudentOutcome) -> Void = { _ in }) throws -> BatchSummary {
        let jobs = max(1, min(options.jobs, roster.entries.count))
        let workspaces = (0..<jobs).map(workspace(forWorker:))
        for workspace in workspaces { try workspace.prepare() }
        try store.upsertAssignment(AssignmentRecord(
            id: manifest.id, title: manifest.title, maxScore: manifest.maxScore, checksVersion: manifest.checksVersion))
        let runID = try store.startRun(assignmentID: manifest.id, deadline: options.deadline, checksVersion: manifest.checksVersion)
        var outcomes: [StudentOutcome]
        if jobs == 1 {
            outcomes = []
            for entry in roster.entries {
                let outcome = gradeStudent(entry, runID: runID, workspace: workspaces[0])
                outcomes.append(outcome)
                progress(outcome)
            }
        } else {
            outcomes = gradeInParallel(roster.entries, runID: runID, workspaces: workspaces, progress: progress)
        }
        let graded = outcomes.filter { $0.status == .recorded(.graded) }.count
        try store.finishRun(runID, summary: "\(graded) of \(outcomes.count) graded; \(roster.problems.count) roster lines skipped")
        return BatchSummary(outcomes: outcomes, rosterProblems: roster.problems.map(\.description))
    }

    /// One worker per workspace takes the next student until none is left. Every student's
    /// record is still its own gradebook transaction (the store serializes writes), so a batch
    /// killed at any moment resumes exactly. `progress` is called for one student at a time,
    /// in the order they finish; the outcomes come back in roster order.
    private func gradeInParallel(
        _ entries: [RosterEntry], runID: Int64, workspaces: [GradingWorkspace], progress: (StudentOutcome) -> Void
    ) -> [StudentOutcome] {
        let next = Atomic<Int>(0)
        let finished = Mutex<[StudentOutcome?]>(Array(repeating: nil, count: entries.count))
        // `progress` is only ever called while holding `finished`, one call at a time.
        nonisolated(unsafe) let report = progress
        DispatchQueue.concurrentPerform(iterations: workspaces.count) { worker in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < entries.count else { return }
                let outcome = gradeStudent(entries[index], runID: runID, workspace: workspaces[worker])
                finished.withLock { outcomes in
                    outcomes[index] = outcome
                    report(outcome)
                }
            }
        }
        return finished.withLock { $0.compactMap { $0 } }
    }

    /// The build workspace of worker `k` (worker 0's is the one replay and uploads use).
    func workspace(forWorker k: Int) -> GradingWorkspace {
        k == 0
            ? workspace
            : GradingWorkspace(
                layout: layout, manifest: manifest,
                directory: options.cacheDirectory.appendingPathComponent("workspaces/\(manifest.id)-worker\(k)"))
    }

    /// Grades one student and records the result; never throws (a failure becomes a status).
    func gradeStudent(_ entry: RosterEntry, runID: Int64, workspace: GradingWorkspace) -> StudentOutcome {
        let start = Date()
        var attempt = SubmissionAttempt(entry: entry, manifest: manifest)
        let before = try? store.submissionDetail(studentID: entry.studentID, assignmentID: manifest.id)
        do {
            try store.upsertStudent(StudentRecord(id: entry.studentID, name: entry.name, repository: FetchError.redacted(entry.repository), identity: entry.identity))
            try run(&attempt, workspace: workspace)
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
        if attempt.status != .graded,
            let previous = try? store.submissionDetail(studentID: entry.studentID, assignmentID: manifest.id),
            previous.submission.status == .graded
        {
            // Recorded for the history, but a failed attempt never takes a grade away.
            let commit = previous.submission.commitID.map { " from commit \($0.prefix(12))" } ?? ""
            attempt.detail += (attempt.detail.isEmpty ? "" : "; ")
                + "regrade failed, so the previous grade of \(Self.points(previous.finalScore))/\(Self.points(previous.submission.maxScore))\(commit) stays current"
        }
        do {
            try store.recordSubmission(attempt.record(checksVersion: manifest.checksVersion), runID: runID)
        } catch {
            attempt.status = .internalError
            attempt.detail += " (and the gradebook refused the record: \(error.localizedDescription))"
        }
        var outcome = attempt.outcome(seconds: Date().timeIntervalSince(start), recorded: true)
        if let before, before.submission.status == .graded {
            outcome.previous = PreviousGrade(
                score: before.finalScore, commitID: before.submission.commitID, checksVersion: before.submission.checksVersion)
        }
        return outcome
    }

    private func run(_ attempt: inout SubmissionAttempt, workspace: GradingWorkspace) throws {
        let entry = attempt.entry
        let mirror = mirrorDirectory(studentID: entry.studentID)
        let pinned = options.deadline.flatMap {
            try? store.collection(studentID: entry.studentID, assignmentID: manifest.id, atOrAfter: $0)
        }
        let submission = options.cacheDirectory.appendingPathComponent("submissions/\(Self.safeName(entry.studentID))")
        try? FileManager.default.removeItem(at: submission)
        do {
            try fetcher.fetchWithLimits(repository: entry.repository, into: mirror, limits: options.fetchLimits, credentials: options.credentials)
        } catch {
            // The repository is gone or unreachable: the files kept at the collection still grade.
            guard let pinned, try restorePinned(pinned, into: submission, attempt: &attempt) else {
                throw SubmissionAttempt.Stop(Self.status(ofFetchFailure: error), error.localizedDescription)
            }
            attempt.note = "the repository could not be fetched (\(error.localizedDescription)); graded the files kept when the grader collected \(pinned.commitID.prefix(12))"
            if skipIfGraded(&attempt) { return }
            return try gradeFiles(in: submission, attempt: &attempt, workspace: workspace)
        }
        attempt.fetchedAt = Date()
        let history = (try? fetcher.firstParentHistory(in: mirror)) ?? []
        try? store.recordSightings(
            studentID: entry.studentID, assignmentID: manifest.id, commitIDs: history.map(\.id), at: attempt.fetchedAt)
        let commit: CommitInfo
        do {
            commit = try selectCommit(mirror: mirror, history: history, pinned: pinned, attempt: &attempt)
        } catch let stop as SubmissionAttempt.Stop {
            // A force-push removed the pinned commit: grade the files kept at the collection.
            guard let pinned, stop.status == .fetchFailed, try restorePinned(pinned, into: submission, attempt: &attempt) else { throw stop }
            attempt.note = "the collected commit \(pinned.commitID.prefix(12)) is no longer in the repository (history rewritten); graded the files kept when the grader collected it"
            if skipIfGraded(&attempt) { return }
            return try gradeFiles(in: submission, attempt: &attempt, workspace: workspace)
        }
        attempt.commit = commit
        if skipIfGraded(&attempt) { return }
        let extracted: [ExtractedFile]
        do {
            extracted = try fetcher.extract(paths: manifest.studentFiles, at: commit.id, in: mirror, to: submission)
        } catch {
            throw SubmissionAttempt.Stop(.internalError, "cannot read the commit's files: \(error.localizedDescription)")
        }
        let problems = extracted.compactMap(Self.problem)
        guard problems.isEmpty else { throw SubmissionAttempt.Stop(.rejected, problems.joined(separator: "; ")) }
        try gradeFiles(in: submission, attempt: &attempt, workspace: workspace)
    }

    /// Resume: true (and the attempt marked skipped) when the attempt's commit was already graded
    /// with these checks and no regrade was asked for.
    private func skipIfGraded(_ attempt: inout SubmissionAttempt) -> Bool {
        guard !options.regrade, let commit = attempt.commit,
            (try? store.isGraded(
                studentID: attempt.entry.studentID, assignmentID: manifest.id, commitID: commit.id,
                checksVersion: manifest.checksVersion)) == true
        else { return false }
        attempt.skipped = true
        attempt.status = .graded
        attempt.detail = "already graded at this commit with these checks (pass --regrade to grade again)"
        return true
    }

    /// Writes the files kept at `collection` under `submission`; false when none were kept.
    private func restorePinned(_ collection: CollectionRecord, into submission: URL, attempt: inout SubmissionAttempt) throws -> Bool {
        guard try restoreKeptFiles(studentID: collection.studentID, commitID: collection.commitID, into: submission) else { return false }
        attempt.commit = CommitInfo(id: collection.commitID, time: collection.commitTime, summary: "")
        attempt.fetchedAt = collection.collectedAt
        return true
    }

    /// The cached libgit2 mirror of a student's repository.
    func mirrorDirectory(studentID: String) -> URL {
        options.cacheDirectory.appendingPathComponent("mirrors/\(Self.safeName(studentID)).git")
    }

    /// Writes the student files kept when `commitID` was collected under `directory`; false when
    /// none were kept (or a kept file no longer matches its hash).
    func restoreKeptFiles(studentID: String, commitID: String, into directory: URL) throws -> Bool {
        let files = (try? store.pinnedFiles(studentID: studentID, assignmentID: manifest.id, commitID: commitID)) ?? [:]
        return try pinnedStore.restore(files, into: directory)
    }

    /// Vets, builds and checks the student files under `submission`.
    func gradeFiles(in submission: URL, attempt: inout SubmissionAttempt, workspace: GradingWorkspace) throws {
        let verdict: SubmissionVetting.Verdict
        do {
            verdict = try vetting.vet(submission)
        } catch GradingError.stalled(let what) {
            throw SubmissionAttempt.Stop(.incomplete, "\(what); not charged to the student: the next batch grades it again")
        }
        if case .refused(let refusals) = verdict {
            throw SubmissionAttempt.Stop(.rejected, "the code uses what this assignment forbids: " + refusals.joined(separator: "; "))
        }
        try warmUpOnce(workspace)
        try workspace.install(submission: submission)
        let build = try workspace.build(sandbox: buildSandbox, confirmingStalls: true)
        attempt.buildSeconds = build.seconds
        if case .stalled = build.failure {
            attempt.checks = manifest.checks.map { attempt.skippedCheck($0, reason: "not run: the build was stopped by the grader's safety net") }
            throw SubmissionAttempt.Stop(.incomplete, build.diagnostics)
        }
        if case .unparsable(let lines) = verdict, build.succeeded {
            throw SubmissionAttempt.Stop(.rejected, "the grader cannot parse this code although it compiles; rewrite: " + lines.joined(separator: "; "))
        }
        guard build.succeeded, let executable = build.executable else {
            attempt.checks = manifest.checks.map { attempt.skippedCheck($0, reason: "not run: the code did not compile") }
            throw SubmissionAttempt.Stop(.buildFailed, "the code does not compile:\n" + build.diagnostics)
        }
        for check in manifest.checks {
            let result = try checkProcess.run(
                checkID: check.id, executable: executable, wallSeconds: check.wallSeconds, counterpart: build.program,
                counterpartInstances: check.programs ?? 1)
            attempt.checks.append(attempt.checkRecord(check, result, hiddenFiles: hiddenCheckFiles))
        }
        let stopped = attempt.checks.filter { $0.outcome == .incomplete }
        attempt.status = stopped.isEmpty ? .graded : .incomplete
        if !stopped.isEmpty {
            attempt.detail = "stopped by the wall-clock safety net before finishing: \(Self.naming(stopped)); run the batch again (on a less loaded machine, or with a higher wallSeconds)"
        }
    }

    /// The checks of `records` as the submission's status detail may name them, which the
    /// student reads (in feedback, and on Gradescope before the due date): public checks by
    /// their ids, hidden ones only counted. Each check's own record, with its id, stays for the
    /// instructor.
    static func naming(_ records: [CheckResultRecord]) -> String {
        let named = records.filter { $0.visibility == .public }.map(\.checkID)
        let hidden = records.count - named.count
        return (named + (hidden == 0 ? [] : [hidden == 1 ? "a hidden check" : "\(hidden) hidden checks"])).joined(separator: ", ")
    }

    /// Warms `workspace` up before the first student this pipeline builds in it, so no
    /// student's build pays for (or is charged the CPU of) the cold build of what the grader
    /// owns. Lazily, so a batch that only skips already-graded commits builds nothing.
    /// - Throws: ``SubmissionAttempt/Stop`` (incomplete, not charged) when the warm-up stalled;
    ///   ``GradingError/io(_:)`` when the reference solution does not build (the course's).
    func warmUpOnce(_ workspace: GradingWorkspace) throws {
        let key = workspace.directory.standardizedFileURL.path
        guard !warmedWorkspaces.withLock({ $0.contains(key) }) else { return }
        do {
            try workspace.warmUp(sandbox: buildSandbox)
        } catch GradingError.stalled(let what) {
            throw SubmissionAttempt.Stop(.incomplete, "\(what); not charged to the student: the next batch grades it again")
        }
        warmedWorkspaces.withLock { _ = $0.insert(key) }
    }

    /// The status of a student whose repository could not be fetched: refused credentials are
    /// the course's setup (`authenticationFailed`), anything else `fetchFailed`.
    static func status(ofFetchFailure error: Error) -> SubmissionStatus {
        if case FetchError.authentication = error { return .authenticationFailed }
        return .fetchFailed
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
                studentID: entry.studentID, name: entry.name, status: .collected, detail: "", score: 0, maxScore: 0,
                commitID: nil, seconds: 0, buildSeconds: nil, isProblem: false)
            do {
                try store.upsertStudent(StudentRecord(id: entry.studentID, name: entry.name, repository: FetchError.redacted(entry.repository), identity: entry.identity))
                let mirror = mirrorDirectory(studentID: entry.studentID)
                try fetcher.fetchWithLimits(repository: entry.repository, into: mirror, limits: options.fetchLimits, credentials: options.credentials)
                let collectedAt = Date()
                let tip = try fetcher.lastCommit(in: mirror, atOrBefore: nil)
                // Every commit seen now is first seen now (or earlier): lateness is measured from this.
                let history = try fetcher.firstParentHistory(in: mirror)
                try store.recordSightings(
                    studentID: entry.studentID, assignmentID: manifest.id, commitIDs: history.map(\.id), at: collectedAt)
                try keepPinnedFiles(of: tip.id, mirror: mirror, studentID: entry.studentID)
                try store.recordCollection(CollectionRecord(
                    studentID: entry.studentID, assignmentID: manifest.id, repository: FetchError.redacted(entry.repository), commitID: tip.id,
                    commitTime: tip.time, collectedAt: collectedAt))
                outcome.commitID = tip.id
            } catch {
                outcome.status = .recorded(Self.status(ofFetchFailure: error))
                outcome.detail = error.localizedDescription
                outcome.isProblem = true
            }
            outcome.seconds = Date().timeIntervalSince(start)
            outcomes.append(outcome)
            progress(outcome)
        }
        return BatchSummary(outcomes: outcomes, rosterProblems: roster.problems.map(\.description))
    }

    /// Keeps the student-owned regular files of `commit` in the content-addressed store beside
    /// the gradebook, so a later regrade grades them even if the repository changes or vanishes.
    private func keepPinnedFiles(of commit: String, mirror: URL, studentID: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-pin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let extracted = try fetcher.extract(paths: manifest.studentFiles, at: commit, in: mirror, to: scratch)
        var files: [String: String] = [:]
        for file in extracted {
            guard case .written = file.status else { continue }
            files[file.path] = try pinnedStore.keep(try Data(contentsOf: scratch.appendingPathComponent(file.path)))
        }
        try store.recordPinnedFiles(studentID: studentID, assignmentID: manifest.id, commitID: commit, files: files)
    }

    /// Directories the sandbox covers, minus any whose hiding would hide the system itself.
    static func hideable(_ paths: [String]) -> [String] {
        let system = ["/", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/opt", "/opt/swift", "/dev", "/proc", "/sys"]
        var seen: Set<String> = []
        return paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { path in
            !system.contains(path) && !system.contains(where: { $0 != "/" && path.hasPrefix($0 + "/") && $0 != "/opt" }) && seen.insert(path).inserted
        }
    }

    /// `12.5` or `10` (``ScoreText/display(_:)``).
    static func points(_ value: Double) -> String { ScoreText.display(value) }

    /// A file-system-safe version of a student id.
    static func safeName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
