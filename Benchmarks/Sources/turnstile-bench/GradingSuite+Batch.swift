import Foundation
import Gradebook
import Grading
import Synchronization

/// What the batch cases grade: `--assignments a,b` (or `all`), `--count N` (default 100, 10
/// with `--quick`) and `--cases mixed,correct`; `--jobs N` (default 2) as `turnstile grade`
/// takes it. Every option also reads `--name=value`.
struct BatchSettings {
    /// A generated class: half correct and half buggy, or correct only.
    enum Mix: String, CaseIterable {
        case mixed, correct
    }

    var assignments = ["producer-consumer"]
    var count: Int
    var mixes = Mix.allCases
    var jobs = 2
    /// `--verbose`: one line per student on standard error, with its parts.
    var verbose = false
    /// Whether `--cases` chose the cases (then `correct` runs for every assignment named).
    var casesNamed = false

    /// Reads the options from `arguments`; a value that does not parse is reported on standard
    /// error and the default kept.
    static func parse(_ arguments: [String], quick: Bool) -> BatchSettings {
        var settings = BatchSettings(count: quick ? 10 : 100)
        settings.verbose = arguments.contains("--verbose")
        func value(_ flag: String) -> String? {
            if let inline = arguments.first(where: { $0.hasPrefix(flag + "=") }) { return String(inline.dropFirst(flag.count + 1)) }
            guard let index = arguments.firstIndex(of: flag) else { return nil }
            guard index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") else {
                batchWarn("\(flag) needs a value; ignored")
                return nil
            }
            return arguments[index + 1]
        }
        if let text = value("--count") {
            if let count = Int(text), count >= 1 { settings.count = count } else { batchWarn("--count \(text): give a whole number of at least 1; using \(settings.count)") }
        }
        if let text = value("--jobs") {
            if let jobs = Int(text), jobs >= 1 { settings.jobs = jobs } else { batchWarn("--jobs \(text): give a whole number of at least 1; using \(settings.jobs)") }
        }
        if let text = value("--assignments") {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if names.isEmpty { batchWarn("--assignments \(text): no assignment named; using \(settings.assignments.joined(separator: ","))") } else { settings.assignments = names }
        }
        if let text = value("--cases") {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let mixes = names.compactMap(Mix.init(rawValue:))
            for name in names where Mix(rawValue: name) == nil { batchWarn("--cases: no case \(name); the cases are mixed, correct") }
            if !mixes.isEmpty {
                settings.mixes = mixes
                settings.casesNamed = true
            }
        }
        return settings
    }
}

/// `turnstile-bench grading-batch [--assignments a,b|all] [--count N] [--cases mixed,correct] [--jobs N]`:
/// the grading suite's batch cases alone.
func gradingBatchSuite(_ reporter: Reporter) {
    reporter.header("grading", metric: "seconds per submission")
    batchGradingCases(reporter, settings: .parse(CommandLine.arguments, quick: reporter.options.quick))
}

func batchWarn(_ message: String) {
    FileHandle.standardError.write(Data("grading-batch: \(message)\n".utf8))
}

/// A class of generated submissions graded by the real pipeline (`GradingPipeline.grade` with
/// the sandbox on and `jobs` workers, fresh cache and gradebook: what `turnstile grade --jobs 2`
/// does), per submission, against the floor measured in the same run.
///
/// Per assignment, N local git repositories, one commit each, hold the student files of the
/// reference solution, the correct alternatives and the mutants (`mixed`: every other one is a
/// mutant; `correct`: none is, producer-consumer only), each with a trailing comment of its own
/// so no two are byte-identical. The one-time set-up (`prepare_seconds`: writing each worker's
/// workspace and its first, cold build of the runtime and checks, in the sandbox, the workers at
/// once as the batch's first students would) is timed apart in the same fresh cache before the
/// batch, so the timed `grade(roster:)` is all marginal: per submission = its wall time ÷ N, and
/// `total_seconds` = prepare + batch is what a grader waits on a cold cache.
///
/// The parts come from the gradebook (each submission's build and its checks' durations, means
/// over the batch; `other` is the worker's time on a student minus both: fetch, vetting,
/// install, the gradebook write), from fetching every repository again into scratch mirrors
/// (`fetch`), and from starting `/bin/true` in the check sandbox against directly
/// (`sandbox_start`, per start and times the starts of one submission).
///
/// The floor: (a) `swiftc` compiling the reference solution's student module with the flags and
/// prebuilt modules of the workspace's own build, and linking the checks executable (or, for a
/// process assignment, the student's program) from the workspace's other objects; (b) every
/// check once, unsandboxed, on the same machine: the solution's half its rounds before the
/// batch and half after so drift hits both, every other variant of the class once after it
/// (built on the host), and the class's figure the mean over its submissions of each one's own
/// variant. Ratio = per-submission time ÷ floor (a + b); the issue's goal is ≤ 1.5
/// (`worker_ratio` is one worker's time per student over the same floor, the latency a student
/// sees with `jobs` workers sharing the cores). Correctness is checked too: every correct
/// submission must get full marks and every mutant less.
func batchGradingCases(_ reporter: Reporter, settings: BatchSettings? = nil) {
    let settings = settings ?? .parse(CommandLine.arguments, quick: reporter.options.quick)
    guard Sandbox.probe().isAvailable else {
        batchWarn("the sandbox is not available here; nothing measured")
        return
    }
    let layout: CourseLayout
    do {
        layout = try CourseLayout.locate()
    } catch {
        batchWarn("cannot find the course: \(error.localizedDescription)")
        return
    }
    let catalog = AssignmentCatalog(layout: layout)
    let ids = settings.assignments == ["all"] ? catalog.ids() : settings.assignments
    for id in ids {
        let manifest: AssignmentManifest
        do {
            manifest = try catalog.manifest(id)
        } catch {
            batchWarn("skipping \(id): \(error.localizedDescription)")
            continue
        }
        for mix in settings.mixes {
            // The correct-only class is the issue's producer-consumer goal; others get it when
            // `--cases` names it.
            if mix == .correct && id != "producer-consumer" && !settings.casesNamed { continue }
            do {
                try BatchRun(layout: layout, manifest: manifest, mix: mix, settings: settings, quick: reporter.options.quick).measure(reporter)
            } catch {
                batchWarn("\(id) (\(mix.rawValue)): \(error.localizedDescription); skipped")
            }
        }
    }
}

/// One generated class of one assignment, graded and measured.
private struct BatchRun {
    /// Student files of one kind of submission.
    struct Variant {
        var name: String
        var correct: Bool
        var files: [String: String]
    }

    let layout: CourseLayout
    let manifest: AssignmentManifest
    let mix: BatchSettings.Mix
    let settings: BatchSettings
    let quick: Bool

    var count: Int { settings.count }

    func measure(_ reporter: Reporter) throws {
        let root = URL(fileURLWithPath: "/var/tmp/turnstile-bench-batch-\(getpid())-\(manifest.id)-\(mix.rawValue)")
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let (correct, buggy) = try variants()
        guard !correct.isEmpty else { throw GradingError.io("no correct variant could be read") }
        if mix == .mixed && buggy.isEmpty { batchWarn("\(manifest.id): no mutant could be made; the mixed class is correct only") }

        // Students: one repository each, one commit.
        var chosen: [Variant] = []
        var rosterText = Roster.expectedHeader + "\n"
        for index in 0..<count {
            let variant: Variant
            if mix == .correct || buggy.isEmpty {
                variant = correct[index % correct.count]
            } else {
                variant = index % 2 == 0 ? correct[(index / 2) % correct.count] : buggy[(index / 2) % buggy.count]
            }
            let student = String(format: "s%03d", index + 1)
            let repository = root.appendingPathComponent("students/\(student)")
            for (path, text) in variant.files {
                let url = repository.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try (text + "\n// submission \(student): \(variant.name)\n").write(to: url, atomically: true, encoding: .utf8)
            }
            try LocalRepository(directory: repository).commitAll(message: "Submission \(student)")
            rosterText += "\(student),Student \(index + 1),\(repository.path)\n"
            chosen.append(variant)
        }
        let rosterURL = root.appendingPathComponent("roster.csv")
        try rosterText.write(to: rosterURL, atomically: true, encoding: .utf8)
        let roster = try Roster.parse(String(contentsOf: rosterURL, encoding: .utf8))
        guard roster.problems.isEmpty, roster.entries.count == count else {
            throw GradingError.io("the generated roster has problems: \(roster.problems.map(\.description).joined(separator: "; "))")
        }

        // One-time set-up: every worker's workspace and its cold build, at once, in the cache
        // the batch then uses (the pipeline's workspace paths), in the build sandbox.
        let cache = root.appendingPathComponent("cache")
        let jobs = max(1, min(settings.jobs, count))
        let workspaces = (0..<jobs).map { k in
            GradingWorkspace(
                layout: layout, manifest: manifest,
                directory: cache.appendingPathComponent(k == 0 ? "workspaces/\(manifest.id)" : "workspaces/\(manifest.id)-worker\(k)"))
        }
        let solution = layout.path(manifest.solutionDirectory)
        let buildSandbox = Sandbox()
        let failures = Mutex<[String]>([])
        let prepareStart = nowNanoseconds()
        DispatchQueue.concurrentPerform(iterations: jobs) { k in
            do {
                try workspaces[k].prepare()
                try workspaces[k].install(submission: solution)
                let build = try workspaces[k].build(sandbox: buildSandbox)
                if !build.succeeded { failures.withLock { $0.append("worker \(k): the solution did not build: \(build.diagnostics)") } }
            } catch {
                failures.withLock { $0.append("worker \(k): \(error.localizedDescription)") }
            }
        }
        let prepareSeconds = seconds(since: prepareStart)
        if let failure = failures.withLock({ $0.first }) { throw GradingError.io(failure) }

        // The floor's first half, on the solution as workspace 0 just built it.
        let floor = try Floor(layout: layout, manifest: manifest, workspace: workspaces[0], scratch: root.appendingPathComponent("floor"))
        let floorRounds = quick ? 2 : 3
        try floor.measure(rounds: floorRounds)

        // The batch.
        let store = try GradebookStore(path: root.appendingPathComponent("gradebook.sqlite").path)
        var options = GradingOptions(deadline: nil, cacheDirectory: cache, useSandbox: true)
        options.jobs = settings.jobs
        let pipeline = try GradingPipeline(layout: layout, manifest: manifest, store: store, options: options)
        let done = Atomic<Int>(0)
        let label = "\(manifest.id) \(mix.rawValue)"
        let batchStart = nowNanoseconds()
        let summary = try pipeline.grade(roster: roster) { outcome in
            let finished = done.add(1, ordering: .relaxed).newValue
            if finished % 10 == 0 || finished == count {
                batchWarn("\(label): \(finished)/\(count) graded (\(Int(seconds(since: batchStart))) s)")
            }
            _ = outcome
        }
        let batchSeconds = seconds(since: batchStart)

        // The floor's checks of every other variant in the class, once each, built on the host in
        // workspace 0 (the compile and link of the floor are the solution's for all).
        var variantChecks: [String: Double] = [:]
        for variant in correct + buggy where variant.name != "solution" && chosen.contains(where: { $0.name == variant.name }) {
            let directory = root.appendingPathComponent("floor-variants/\(variant.name.replacingOccurrences(of: ":", with: "-"))")
            for (path, text) in variant.files {
                let url = directory.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try workspaces[0].install(submission: directory)
            let build = try workspaces[0].build()
            guard let executable = build.executable else {
                batchWarn("floor: \(manifest.id) \(variant.name) did not build on the host; its checks count 0")
                variantChecks[variant.name] = 0
                continue
            }
            variantChecks[variant.name] = try floor.runChecks(executable: executable, program: build.program, expectPass: variant.correct)
        }

        // The floor's second half: the solution again in workspace 0, as the batch left it.
        try workspaces[0].install(submission: solution)
        guard try workspaces[0].build(sandbox: buildSandbox).succeeded else { throw GradingError.io("the solution did not build after the batch") }
        try floor.measure(rounds: floorRounds)

        // Parts, from the gradebook and the outcomes.
        var builds: [Double] = []
        var checks: [Double] = []
        var worker: [Double] = []
        var anomalies: [String] = []
        var statuses: [String: Int] = [:]
        for (index, entry) in roster.entries.enumerated() {
            let variant = chosen[index]
            guard let outcome = summary.outcomes.first(where: { $0.studentID == entry.studentID }) else {
                anomalies.append("\(entry.studentID) (\(variant.name)): no outcome")
                continue
            }
            statuses[outcome.status.description, default: 0] += 1
            worker.append(outcome.seconds)
            if let detail = try store.submissionDetail(studentID: entry.studentID, assignmentID: manifest.id) {
                if let build = detail.submission.buildSeconds { builds.append(build) }
                checks.append(detail.submission.checks.reduce(0) { $0 + $1.durationSeconds })
                if settings.verbose {
                    let slowest = detail.submission.checks.sorted { $0.durationSeconds > $1.durationSeconds }.prefix(3)
                        .map { "\($0.checkID) \($0.outcome) \(String(format: "%.2f", $0.durationSeconds))" }.joined(separator: ", ")
                    batchWarn(String(format: "%@ %@: %@ %g/%g, %.2f s (build %.2f, checks %.2f); slowest: %@",
                        entry.studentID as NSString, variant.name as NSString, outcome.status.description as NSString, outcome.score, outcome.maxScore,
                        outcome.seconds, detail.submission.buildSeconds ?? 0, checks.last ?? 0, slowest as NSString))
                }
            }
            let full = outcome.status == .recorded(.graded) && outcome.score == outcome.maxScore
            if variant.correct && !full {
                anomalies.append("\(entry.studentID) (correct \(variant.name)): \(outcome.status) \(outcome.score)/\(outcome.maxScore) \(outcome.detail.prefix(200))")
            } else if !variant.correct && full {
                anomalies.append("\(entry.studentID) (mutant \(variant.name)): full marks")
            } else if outcome.status == .recorded(.incomplete) || outcome.status == .recorded(.internalError) {
                anomalies.append("\(entry.studentID) (\(variant.name)): \(outcome.status) \(outcome.detail.prefix(200))")
            }
        }
        for anomaly in anomalies { batchWarn("\(label): \(anomaly)") }

        // Fetch: every repository again into scratch mirrors, as the pipeline fetches.
        let fetcher = RepositoryFetcher()
        var fetches: [Double] = []
        for entry in roster.entries {
            let start = nowNanoseconds()
            let mirror = root.appendingPathComponent("fetch/\(entry.studentID).git")
            try fetcher.fetchWithLimits(repository: entry.repository, into: mirror, limits: FetchLimits())
            let history = try fetcher.firstParentHistory(in: mirror)
            guard let tip = history.first else { throw GradingError.io("\(entry.studentID): no commit in the mirror") }
            _ = try fetcher.extract(paths: manifest.studentFiles, at: tip.id, in: mirror, to: root.appendingPathComponent("fetch/\(entry.studentID)-files"))
            fetches.append(seconds(since: start))
        }

        // Sandbox start: /bin/true in the check sandbox (a user per run, a cgroup) and directly.
        let policy = CheckProcess.policy(for: manifest.limits)
        let checkSandbox = Sandbox(distinctUserPerRun: true)
        let trivial = SandboxedCommand(executable: "/bin/true")
        var sandboxStarts: [Double] = []
        var directStarts: [Double] = []
        for _ in 0..<(quick ? 10 : 30) {
            var start = nowNanoseconds()
            _ = try checkSandbox.run(trivial, policy: policy)
            sandboxStarts.append(seconds(since: start))
            start = nowNanoseconds()
            _ = try Sandbox.runUnsandboxed(trivial, policy: policy)
            directStarts.append(seconds(since: start))
        }
        // One build and every check's process, plus each check's program instances (process kind).
        let startsPerSubmission = 1 + manifest.checks.reduce(0) { $0 + 1 + (manifest.isProcess ? ($1.programs ?? 1) : 0) }
        let startCost = max(0, median(sandboxStarts) - median(directStarts))

        let perSubmission = batchSeconds / Double(count)
        let floorCompile = median(floor.compiles)
        let floorLink = median(floor.links)
        let solutionChecks = median(floor.checks)
        // The class's floor: each submission's own variant's checks, averaged over the class.
        let floorChecks = mean(chosen.map { $0.name == "solution" ? solutionChecks : variantChecks[$0.name] ?? solutionChecks })
        let floorTotal = floorCompile + floorLink + floorChecks
        guard floorTotal.isFinite, floorTotal > 0 else { throw GradingError.io("the floor was not measured") }
        let correctCount = chosen.filter(\.correct).count
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        var extra: [String: Any] = [
            "count": count, "jobs": settings.jobs, "total_seconds": rounded(prepareSeconds + batchSeconds),
            "batch_seconds": rounded(batchSeconds), "prepare_seconds": rounded(prepareSeconds),
            "parts": "means per submission; worker = one worker's time on one student (jobs run at once)",
            "worker_seconds": rounded(mean(worker)), "build_seconds": rounded(mean(builds)), "build_max_seconds": rounded(builds.max() ?? 0),
            "checks_seconds": rounded(mean(checks)), "other_seconds": rounded(mean(worker) - mean(builds) - mean(checks)),
            "fetch_seconds": rounded(mean(fetches)),
            "sandbox_start_seconds": rounded(median(sandboxStarts)), "direct_start_seconds": rounded(median(directStarts)),
            "sandbox_starts_per_submission": startsPerSubmission, "sandbox_start_per_submission_seconds": rounded(startCost * Double(startsPerSubmission)),
            "floor_compile_seconds": rounded(floorCompile), "floor_link_seconds": rounded(floorLink), "floor_checks_seconds": rounded(floorChecks),
            "floor_solution_seconds": rounded(floorCompile + floorLink + solutionChecks), "floor_rounds": floor.checks.count,
            "floor_variant_checks_seconds": variantChecks.map { "\($0.key) \(String(format: "%.2f", $0.value))" }.sorted().joined(separator: ", "), "worker_ratio": rounded(mean(worker) / floorTotal),
            "correct": correctCount, "buggy": count - correctCount,
            "statuses": statuses.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", "),
            "correctness_ok": anomalies.isEmpty, "anomalies": anomalies.count,
        ]
        if mix == .correct && manifest.id == "producer-consumer" {
            extra["goal_total_seconds"] = 300
            extra["goal_total_met"] = prepareSeconds + batchSeconds <= 300
        }
        reporter.report(Measurement(
            suite: "grading", caseName: "batch.\(manifest.id).\(count)-\(mix.rawValue)", metric: "seconds_per_submission",
            value: perSubmission, baseline: "floor: direct swiftc + unsandboxed checks", baselineValue: floorTotal, better: "lower",
            goal: 1.5, extra: extra))
        if !reporter.options.json {
            print(String(
                format: "    %d submissions (%d correct), %d jobs: prepare %.1f s + batch %.1f s = %.1f s; per submission: worker %.2f s = build %.2f + checks %.2f + other %.2f (fetch %.3f); sandbox start %.3f s vs %.4f s direct × %d; floor %.2f compile + %.2f link + %.2f checks",
                count, correctCount, settings.jobs, prepareSeconds, batchSeconds, prepareSeconds + batchSeconds, mean(worker), mean(builds),
                mean(checks), mean(worker) - mean(builds) - mean(checks), mean(fetches), median(sandboxStarts), median(directStarts),
                startsPerSubmission, floorCompile, floorLink, floorChecks))
        }
    }

    /// The correct variants (the reference solution, then each alternative) and the mutants.
    func variants() throws -> (correct: [Variant], buggy: [Variant]) {
        let solution = layout.path(manifest.solutionDirectory)
        var reference: [String: String] = [:]
        for file in manifest.studentFiles {
            guard let text = try? String(contentsOf: solution.appendingPathComponent(file), encoding: .utf8) else {
                throw GradingError.io("the solution lacks \(file)")
            }
            reference[file] = text
        }
        var correct = [Variant(name: "solution", correct: true, files: reference)]
        if let relative = manifest.alternativesDirectory {
            let directory = layout.path(relative)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            for name in names {
                var files = reference
                for file in manifest.studentFiles {
                    if let text = try? String(contentsOf: directory.appendingPathComponent("\(name)/\(file)"), encoding: .utf8) { files[file] = text }
                }
                correct.append(Variant(name: "alternative:\(name)", correct: true, files: files))
            }
        }
        var buggy: [Variant] = []
        let mutants: [Mutant]
        do {
            mutants = try Mutant.load(for: manifest, layout: layout)
        } catch {
            batchWarn("\(manifest.id): \(error.localizedDescription)")
            mutants = []
        }
        for mutant in mutants {
            do {
                buggy.append(Variant(name: mutant.id, correct: false, files: try mutant.sources(for: manifest, layout: layout)))
            } catch {
                batchWarn("\(manifest.id): mutant \(mutant.id) skipped: \(error.localizedDescription)")
            }
        }
        return (correct, buggy)
    }
}

private func seconds(since start: UInt64) -> Double { Double(nowNanoseconds() - start) / 1e9 }

private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

/// The floor of one submission, measured on the reference solution as a workspace has built it:
/// `swiftc` compiling the student module with the very arguments of the workspace's build (its
/// prebuilt modules, flags and parallelism; outputs redirected to a scratch directory; the
/// module compiled whole, as the grader's direct build does) and linking the checks executable,
/// or a process assignment's program, from the workspace's other objects (with the same linker
/// as the grader's build); then every check once, unsandboxed. Each call of ``measure(rounds:)`` adds samples;
/// ``runChecks(executable:program:expectPass:)`` times another variant's checks.
private final class Floor {
    let manifest: AssignmentManifest
    let workspace: GradingWorkspace
    let scratch: URL
    let compileArguments: [String]
    let linkArguments: [String]
    /// Object lists of the link, best first: the grader's direct build's (its whole-module
    /// objects, once the batch's builds replaced SwiftPM's), then SwiftPM's own.
    let linkLists: [String]
    let module: String
    private(set) var compiles: [Double] = []
    private(set) var links: [Double] = []
    private(set) var checks: [Double] = []

    init(layout: CourseLayout, manifest: AssignmentManifest, workspace: GradingWorkspace, scratch: URL) throws {
        self.manifest = manifest
        self.workspace = workspace
        self.scratch = scratch
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let build = workspace.directory.appendingPathComponent(".build")
        guard let plan = SwiftPMPlanFile(packageAt: workspace.directory) else {
            throw GradingError.io("the workspace has no build plan at \(build.path)/debug.yaml")
        }
        let module = manifest.module
        let product = manifest.isProcess ? "program" : "checks"
        guard let compile = plan.compile(of: module)?.arguments else {
            throw GradingError.io("the build plan has no compile command of \(module)")
        }
        guard let link = plan.links.first(where: { SwiftPMPlanFile.value(of: "-o", in: $0.arguments)?.hasSuffix("/\(product)") == true })?.arguments else {
            throw GradingError.io("the build plan has no link command of \(product)")
        }
        // The compile: the same arguments, with the outputs moved (the object lands in the
        // working directory) and the sources named directly, the module compiled whole as the
        // grader's direct build does (`DirectBuildPlan`).
        let dropWithValue: Set<String> = ["-output-file-map", "-emit-module-path", "-index-store-path", "-emit-objc-header-path", "-emit-module-interface-path", "-emit-private-module-interface-path", "-emit-package-module-interface-path"]
        let dropAlone: Set<String> = ["-emit-dependencies", "-incremental", "-parseable-output", "-serialize-diagnostics", "-enable-batch-mode", "-emit-objc-header", "-color-diagnostics"]
        var arguments: [String] = []
        var skip = false
        for argument in compile {
            if skip { skip = false; continue }
            if dropWithValue.contains(argument) { skip = true; continue }
            if dropAlone.contains(argument) || argument.hasPrefix("@") { continue }
            arguments.append(argument)
        }
        arguments += ["-wmo", "-emit-module-path", scratch.appendingPathComponent("\(module).swiftmodule").path]
        arguments += manifest.studentFiles.map { workspace.directory.appendingPathComponent($0).path }
        compileArguments = arguments
        // The link: the workspace's objects, the student module's replaced by the scratch ones.
        var linkArguments: [String] = []
        var lists: [String] = []
        skip = false
        for argument in link {
            if skip { skip = false; continue }
            if argument == "-o" {
                skip = true
                linkArguments += ["-o", scratch.appendingPathComponent(product).path]
            } else if argument.hasPrefix("@") {
                let list = String(argument.dropFirst())
                lists = [(list as NSString).deletingLastPathComponent + "/Objects.direct.LinkFileList", list]
                linkArguments.append("@" + scratch.appendingPathComponent("objects.list").path)
            } else {
                linkArguments.append(argument)
            }
        }
        guard !lists.isEmpty else { throw GradingError.io("the link command of \(product) names no object list") }
        // The linker the grader's direct build uses: the toolchain's lld where it ships one.
        if let compiler = link.first, FileManager.default.isExecutableFile(atPath: (compiler as NSString).deletingLastPathComponent + "/ld.lld") {
            linkArguments.append("-use-ld=lld")
        }
        self.linkArguments = linkArguments
        self.module = module
        linkLists = lists
    }

    /// The workspace's other objects as its last build left them: the first object list whose
    /// files (the student module's aside) all exist.
    func currentLinkList() throws -> [String] {
        for list in linkLists {
            guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { continue }
            let objects = text.split(separator: "\n").map(String.init).filter { !$0.contains("/\(module).build/") }
            if !objects.isEmpty, objects.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return objects }
        }
        throw GradingError.io("no object list of the workspace names objects that exist (\(linkLists.joined(separator: ", ")))")
    }

    /// Adds `rounds` samples of compile, link and checks, on the solution the workspace holds.
    func measure(rounds: Int) throws {
        let objects = scratch.appendingPathComponent("objects")
        let debug = workspace.directory.appendingPathComponent(".build/debug")
        let executable = debug.appendingPathComponent("checks")
        let program = manifest.isProcess ? debug.appendingPathComponent("program") : nil
        for _ in 0..<rounds {
            try? FileManager.default.removeItem(at: objects)
            try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
            var start = nowNanoseconds()
            try Self.run(compileArguments, in: objects, what: "compiling \(manifest.module)")
            compiles.append(seconds(since: start))
            let made = try FileManager.default.contentsOfDirectory(atPath: objects.path).filter { $0.hasSuffix(".o") }.map { objects.appendingPathComponent($0).path }
            guard !made.isEmpty else { throw GradingError.io("the floor's compile of \(manifest.module) made no object") }
            try (currentLinkList() + made).joined(separator: "\n").appending("\n").write(to: scratch.appendingPathComponent("objects.list"), atomically: true, encoding: .utf8)
            start = nowNanoseconds()
            try Self.run(linkArguments, in: scratch, what: "linking")
            links.append(seconds(since: start))
            checks.append(try runChecks(executable: executable, program: program, expectPass: true))
        }
    }

    /// Seconds of every check once, unsandboxed, on `executable` (and a process assignment's
    /// `program`); a failure where a pass is expected is reported.
    func runChecks(executable: URL, program: URL?, expectPass: Bool) throws -> Double {
        let direct = CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits))
        let start = nowNanoseconds()
        for check in manifest.checks {
            let result = try direct.run(
                checkID: check.id, executable: executable, wallSeconds: check.wallSeconds, counterpart: program,
                counterpartInstances: check.programs ?? 1)
            if expectPass && result.verdict != .passed { batchWarn("floor: \(manifest.id) \(check.id) \(result.verdict) unsandboxed: \(result.message)") }
        }
        return seconds(since: start)
    }

    /// Runs `arguments` (the compiler first), throwing its output if it fails.
    static func run(_ arguments: [String], in directory: URL, what: String) throws {
        guard let tool = arguments.first else { throw GradingError.io("\(what): no command") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GradingError.io("\(what) failed (\(process.terminationStatus)): \(String(decoding: data.suffix(2000), as: UTF8.self))")
        }
    }
}
