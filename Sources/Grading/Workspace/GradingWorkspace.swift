import Foundation

/// The per-assignment package in which the grader compiles one submission at a time: its
/// own Package.swift, runtime, CheckKit and checks, plus only the manifest's student-owned
/// files. One workspace path per assignment keeps SwiftPM's build cache warm, so the second
/// student compiles only their own module and the checks.
///
/// Not thread-safe: grade one submission at a time per workspace.
public struct GradingWorkspace: Sendable {
    /// What a build produced.
    public struct BuildResult: Sendable {
        /// Whether the checks executable was built.
        public var succeeded: Bool
        /// The compiler's errors, trimmed to what a student needs to see.
        public var diagnostics: String
        /// Wall-clock seconds.
        public var seconds: Double
        /// The checks executable, when the build succeeded (for a process assignment: the peer).
        public var executable: URL?
        /// A process assignment's student program (their module and the grader-owned `main`),
        /// when the build succeeded; nil for other assignments.
        public var program: URL? = nil
        /// Why the build failed, when it did.
        public var failure: BuildFailure?
        /// CPU seconds of every compiler process together, from the build's cgroup in the
        /// sandbox; nil where no cgroup measured them (host builds).
        public var cpuSeconds: Double? = nil

        /// Whether the build was ended from outside rather than by the compiler: stopped by
        /// the wall clock, or killed by the machine's out-of-memory killer.
        var wasStopped: Bool {
            switch failure {
            case .tooSlow?, .killedFromOutside?: true
            default: false
            }
        }
    }

    /// Why a build produced no checks executable.
    public enum BuildFailure: Sendable, Equatable {
        /// The compiler reported errors (``BuildResult/diagnostics``).
        case compileErrors
        /// The build passed its wall-clock limit and was stopped: a type-checker bomb, or code
        /// far too hard to compile.
        case tooSlow(seconds: Int)
        /// The compiler went past the build's memory limit.
        case memoryLimit(mebibytes: Int)
        /// The machine's out-of-memory killer (not the build's own memory limit) killed a
        /// compiler process. Tried once more like a stopped build; never the student's.
        case killedFromOutside
        /// The build passed its wall-clock limit, and again when tried once more at a longer
        /// limit (``build(sandbox:confirmingStalls:)``): most likely a stalled or starved
        /// machine, so the grader's problem until shown otherwise. Never charged to the student.
        case stalled(seconds: Int, confirmingSeconds: Int)
    }

    /// How many times longer the confirming build of a stopped build may take.
    public static let confirmingFactor: TimeInterval = 2

    /// The wall-clock safety net of the warm-up build (``warmUp(sandbox:)``): ten times the
    /// assignment's build limit, and at least ten minutes, since on a fresh cache it compiles
    /// the runtime, CheckKit, the checks and any vendored package (swift-crypto's C code) from
    /// nothing. The course's own code, so only a safety net.
    public var warmUpSeconds: TimeInterval { max(TimeInterval(manifest.limits.buildSeconds) * 10, 600) }

    /// The course checkout the runtime and checks are copied from.
    public let layout: CourseLayout
    /// The assignment this workspace builds.
    public let manifest: AssignmentManifest
    /// The package root.
    public let directory: URL
    let package: PackageLayout

    /// A workspace for `manifest` at `directory` (created if missing).
    public init(layout: CourseLayout, manifest: AssignmentManifest, directory: URL, includeHidden: Bool = true) {
        self.layout = layout
        self.manifest = manifest
        self.directory = directory
        self.package = PackageLayout(layout: layout, manifest: manifest, directory: directory, includeHidden: includeHidden)
    }

    /// Brings the runtime, checks and Package.swift up to date with the course.
    public func prepare() throws {
        DirectBuildPlan.remove(in: directory)
        do {
            try package.writeFixedParts()
        } catch {
            throw GradingError.io("cannot prepare the grading workspace at \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Builds the workspace once with the course's reference solution in the student's place,
    /// before any student's build, so that each student's build compiles only their module and
    /// what is built directly on it (the adapter or the program's `main`) and links: with
    /// `swift build`, then saves the ``DirectBuildPlan`` later builds run instead of it.
    ///
    /// Without it the first student of a batch paid for the cold build of the runtime, CheckKit,
    /// the checks and vendored packages, in wall time and in the CPU seconds
    /// ``confirmingStalls(limit:_:)`` charges a build by — so a student's build verdict
    /// depended on whether they came first. The solution's files stay until the first
    /// student's are installed (which replaces or removes each, and clears its objects).
    ///
    /// Blocking: one build (about a second on a warm cache), up to twice ``warmUpSeconds``.
    /// - Throws: ``GradingError/stalled(_:)`` when the build was stopped (or killed by the
    ///   machine) twice; ``GradingError/io(_:)`` when the solution does not build — the
    ///   course's problem, to be fixed before any student is graded.
    public func warmUp(sandbox: Sandbox?) throws {
        DirectBuildPlan.remove(in: directory)
        try install(submission: layout.path(manifest.solutionDirectory))
        let limit = warmUpSeconds
        var result = try build(timeout: limit, sandbox: sandbox)
        if result.wasStopped { result = try build(timeout: limit, sandbox: sandbox) }
        if result.succeeded {
            try saveDirectBuildPlan()
            return
        }
        switch result.failure {
        case .tooSlow, .killedFromOutside:
            throw GradingError.stalled("the grading workspace's first build (the reference solution, before any student) did not finish within \(Int(limit)) s, twice")
        default:
            throw GradingError.io(
                "the reference solution of \(manifest.id) does not build in the grading workspace at \(directory.path), so no student can be graded: "
                    + "\(result.diagnostics.isEmpty ? "see `swift build` there" : result.diagnostics)\nrun `turnstile validate \(manifest.id)` and fix the course")
        }
    }

    /// Replaces the student module's files with the regular files under `submission` at the
    /// manifest's student-owned paths. Files the student lacks are left out (so the build fails).
    public func install(submission: URL) throws {
        let moduleDirectory = directory.appendingPathComponent("Sources/\(manifest.module)")
        try? FileManager.default.createDirectory(at: moduleDirectory, withIntermediateDirectories: true)
        var wanted: Set<String> = []
        for file in manifest.studentFiles {
            let source = submission.appendingPathComponent(file)
            guard let data = try? Data(contentsOf: source) else { continue }
            wanted.insert(file)
            try package.writeIfChanged(data, to: directory.appendingPathComponent(file))
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: moduleDirectory.path)) ?? [] {
            if !wanted.contains("Sources/\(manifest.module)/\(name)") {
                try? FileManager.default.removeItem(at: moduleDirectory.appendingPathComponent(name))
            }
        }
        try forgetStudentObjects()
    }

    /// The targets compiled from, or directly against, the student's files: their module, and
    /// the adapter (threads) or the program (process) built on it.
    var studentTargets: [String] {
        [manifest.module, manifest.isProcess ? package.programBinaryName : PackageLayout.adapterModule]
    }

    /// Removes the previous submission's compiled objects and the compiler's incremental record
    /// of ``studentTargets``, so the next build compiles them whole from the files just
    /// installed. The compiler's incremental mode decides what changed from modification times,
    /// and a file replaced within a moment of the last build can be taken for unchanged (seen
    /// here: the build emitted the new module interface but linked the previous submission's
    /// object file), which would grade one student's commit with another's code. SwiftPM's own
    /// files in those directories (the output file map, the source list) stay; the checks,
    /// runtime and contract keep their objects, since they do not change between students.
    func forgetStudentObjects() throws {
        let buildRoot = directory.appendingPathComponent(".build")
        let fileManager = FileManager.default
        let compiled: Set<String> = ["o", "swiftdeps", "priors"]
        for entry in (try? fileManager.contentsOfDirectory(at: buildRoot, includingPropertiesForKeys: [.isSymbolicLinkKey])) ?? [] {
            // `.build/debug` is a link to `.build/<triple>/debug`; each real directory once.
            guard (try? entry.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink) != true else { continue }
            for configuration in ["debug", "release"] {
                for target in studentTargets {
                    let objects = entry.appendingPathComponent("\(configuration)/\(target).build")
                    for name in (try? fileManager.contentsOfDirectory(atPath: objects.path)) ?? []
                    where compiled.contains((name as NSString).pathExtension) {
                        do {
                            try fileManager.removeItem(at: objects.appendingPathComponent(name))
                        } catch {
                            throw GradingError.io("cannot clear the previous build of \(target) at \(objects.path) (\(error.localizedDescription)); remove \(buildRoot.path) and grade again")
                        }
                    }
                }
            }
        }
    }

    /// Compiles the checks executable (debug configuration) with the toolchain on PATH; with a
    /// sandbox, the compiler runs inside it (see ``buildInSandbox(_:timeout:)``).
    public func build(timeout: TimeInterval? = nil, sandbox: Sandbox? = nil) throws -> BuildResult {
        let limit = timeout ?? TimeInterval(manifest.limits.buildSeconds)
        if let sandbox { return try buildInSandbox(sandbox, timeout: limit) }
        if let plan = directBuildPlan() { return try buildDirectlyOnHost(plan, timeout: limit) }
        return try Self.buildChecks(packageAt: directory, product: package.checksBinaryName, withProgram: manifest.isProcess, timeout: limit)
    }

    /// Builds as ``build(timeout:sandbox:)`` does, with the time verdict of
    /// ``confirmingStalls(limit:_:)``: at least the limit in CPU seconds is too slow, whatever
    /// the wall clock did; a build the wall clock stopped (or the machine's OOM killer killed)
    /// short of that is not yet a verdict: the student's objects are cleared and the build runs
    /// once more at ``confirmingFactor`` times the limit. A second stop is
    /// ``BuildFailure/stalled(seconds:confirmingSeconds:)``, which the grader records as
    /// incomplete (retried by the next batch), since the same commit normally builds in about
    /// a second when the machine is not starved. Call ``warmUp(sandbox:)`` first. Blocking: up
    /// to three times the limit.
    public func build(sandbox: Sandbox?, confirmingStalls: Bool) throws -> BuildResult {
        let limit = TimeInterval(manifest.limits.buildSeconds)
        guard confirmingStalls else { return try build(timeout: limit, sandbox: sandbox) }
        return try Self.confirmingStalls(limit: limit) { seconds, isConfirmation in
            if isConfirmation { try forgetStudentObjects() }
            return try build(timeout: seconds, sandbox: sandbox)
        }
    }

    /// Runs `attempt` at `limit`, the build's time decided by its CPU seconds, not the wall clock.
    ///
    /// A build measured using at least `limit` CPU seconds (all compiler processes together,
    /// from its cgroup) is ``BuildFailure/tooSlow(seconds:)`` whether it finished or was
    /// stopped: CPU work is a function of the commit and the processor, so the verdict is the
    /// same on an idle many-core machine, where the build would finish in time, and on a loaded
    /// one, where it would not. (This needs ``warmUp(sandbox:)`` first, so the CPU counted is
    /// the student's build alone.) A build stopped by the wall clock (or killed by the
    /// machine's OOM killer) short of that is run once more at ``confirmingFactor`` times
    /// `limit`; stopped again, still short of it, it is ``BuildFailure/stalled(seconds:confirmingSeconds:)``,
    /// the machine's. Where no cgroup measured the CPU (host builds), a build that finished
    /// counts, and one stopped twice is stalled. The seconds reported are both attempts'.
    static func confirmingStalls(
        limit: TimeInterval, _ attempt: (_ seconds: TimeInterval, _ isConfirmation: Bool) throws -> BuildResult
    ) throws -> BuildResult {
        let first = try attempt(limit, false)
        if let charged = chargedForCPU(first, limit: limit) { return charged }
        guard first.wasStopped else { return first }
        let longer = limit * confirmingFactor
        var second = try attempt(longer, true)
        second.seconds += first.seconds
        if let charged = chargedForCPU(second, limit: limit) { return charged }
        guard second.wasStopped else { return second }
        let firstStop = first.failure == .killedFromOutside ? "killed by the machine's out-of-memory killer" : "stopped by the grader's wall-clock safety net after \(Int(limit)) s"
        let secondStop = second.failure != .killedFromOutside ? "after \(Int(longer)) s"
            : first.failure == .killedFromOutside ? "killed by it" : "killed by the machine's out-of-memory killer"
        second.failure = .stalled(seconds: Int(limit), confirmingSeconds: Int(longer))
        second.diagnostics = "the build was \(firstStop), and again \(secondStop); "
            + "the same commit normally builds in seconds, so this is most likely a starved machine (run the batch again); "
            + "if it repeats on an idle machine, the code is too slow to compile (look for a very long expression the type checker cannot solve quickly)"
        return second
    }

    /// `result` charged as too slow to compile when its cgroup measured at least `limit` CPU
    /// seconds and it did not already fail for a reason of its own (compile errors, memory).
    static func chargedForCPU(_ result: BuildResult, limit: TimeInterval) -> BuildResult? {
        guard let cpu = result.cpuSeconds, cpu >= limit, result.failure == nil || result.wasStopped else { return nil }
        var charged = result
        charged.succeeded = false
        charged.executable = nil
        charged.program = nil
        charged.failure = .tooSlow(seconds: Int(limit))
        charged.diagnostics = "too slow to compile: the compiler used \(Int(cpu)) s of CPU time (all its processes together) "
            + "\(result.succeeded ? "to build this code" : "without finishing"), and the limit is \(Int(limit)) s "
            + "(look for a very long expression or deeply nested literal the type checker cannot solve quickly; split it up)"
        return charged
    }

    /// The products `swift build` is asked for: the checks alone, or (a process assignment)
    /// every product, so the peer and the student's program come from one build.
    static func productArguments(_ product: String, withProgram: Bool) -> [String] {
        withProgram ? [] : ["--product", product]
    }

    /// Options of every `swift build` of a workspace. The compiled manifest is cached in the
    /// package's own `.build` (`--manifest-cache local`): SwiftPM's default cache lives under
    /// `$HOME`, which in the sandbox is a fresh tmpfs each build, so every build compiled,
    /// linked and ran `Package.swift` again (about 0.6 s of a 2–3 s incremental build, measured
    /// on a loaded machine). Student code cannot reach the cache: the build compiles it without
    /// running it, and checks never see the workspace.
    static let buildOptions = ["--manifest-cache", "local"]

    /// The student's program next to a built checks executable, for a process assignment.
    static func program(besides executable: URL?, isProcess: Bool) -> URL? {
        guard isProcess, let executable else { return nil }
        let program = executable.deletingLastPathComponent().appendingPathComponent("program")
        return FileManager.default.isExecutableFile(atPath: program.path) ? program : nil
    }

    /// The memory a build in the sandbox may use, all compiler processes together.
    public static let buildMemoryBytes = 4 << 30

    /// Compiles the checks executable inside the sandbox — by the workspace's
    /// ``DirectBuildPlan`` when it has one that covers the installed files, else with
    /// `swift build` — with the toolchain read-only, the workspace the only writable directory
    /// (bound at its own path, so SwiftPM's build state stays valid), no network, a cgroup of ``buildMemoryBytes`` for all compiler processes, and the wall
    /// limit. A type-checker bomb is ``BuildFailure/tooSlow(seconds:)``, not a stalled batch.
    /// Blocking: returns when the build ends or is stopped.
    public func buildInSandbox(_ sandbox: Sandbox, timeout: TimeInterval) throws -> BuildResult {
        guard let toolchain = SandboxTools.swiftToolchainRoot else {
            throw GradingError.toolchainUnavailable("swift is not on PATH")
        }
        let path = directory.standardizedFileURL.path
        let plan = directBuildPlan()
        if let plan { try plan.removeOutputs() }
        var command = SandboxedCommand(
            executable: plan == nil ? toolchain + "/usr/bin/swift" : "/bin/sh",
            arguments: plan.map { ["-c", $0.script] }
                ?? ["build", "--package-path", path] + Self.buildOptions + Self.productArguments(package.checksBinaryName, withProgram: manifest.isProcess),
            writableBinds: [(host: path, sandbox: path)], workingDirectory: path,
            environment: ["HOME": "/tmp", "PATH": "\(toolchain)/usr/bin:/usr/bin:/bin", "TMPDIR": "/tmp"])
        command.environment.merge(Self.packageVariables(directory)) { _, new in new }
        command.systemReadOnly = [toolchain]
        let seconds = max(1, Int(timeout.rounded(.up)))
        var policy = SandboxPolicy(
            cpuSeconds: seconds * 4, memoryBytes: Self.buildMemoryBytes, fileSizeBytes: 1 << 30, maxProcesses: 256,
            wallClock: .seconds(seconds), outputBytes: 1 << 20, scratchBytes: 1 << 30)
        policy.addressSpaceBytes = 1 << 40
        let outcome = try sandbox.run(command, policy: policy)
        let executable = directory.appendingPathComponent(".build/debug/\(package.checksBinaryName)")
        var built = outcome.termination == .exited(0) && FileManager.default.isExecutableFile(atPath: executable.path)
        let program = Self.program(besides: built ? executable : nil, isProcess: manifest.isProcess)
        if manifest.isProcess && program == nil { built = false }
        var result = BuildResult(succeeded: built, diagnostics: "", seconds: outcome.wallSeconds, executable: built ? executable : nil)
        result.program = program
        result.cpuSeconds = outcome.cgroupLimited ? outcome.cpuSeconds : nil
        guard !built else { return result }
        switch outcome.termination {
        case .timedOut:
            result.failure = .tooSlow(seconds: seconds)
            result.diagnostics = "too slow to compile: the build was stopped after \(seconds) s (look for a very long expression or deeply nested literal the type checker cannot solve quickly)"
        case .memoryLimitExceeded:
            result.failure = .memoryLimit(mebibytes: Self.buildMemoryBytes >> 20)
            result.diagnostics = "the compiler ran out of its \(Self.buildMemoryBytes >> 20) MiB memory limit compiling this code"
        case .killedFromOutside:
            result.failure = .killedFromOutside
            result.diagnostics = "a compiler process was killed by the machine's out-of-memory killer (not at the build's own memory limit)"
        default:
            result.failure = .compileErrors
            result.diagnostics = Self.trimDiagnostics(String(decoding: outcome.stdout + outcome.stderr, as: UTF8.self), directory: directory)
        }
        return result
    }

    /// Whether the package at `directory` holds vendored external packages (a grader's
    /// workspace of an assignment with ``AssignmentManifest/packages``), whose manifests must then
    /// name their own dependencies by sibling path.
    static func vendorsPackages(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("Vendor").path)
    }

    /// What a build of the package at `directory` adds to its environment, wherever it runs
    /// (host or sandbox): the local-dependencies switch when it vendors packages, else nothing.
    static func packageVariables(_ directory: URL) -> [String: String] {
        vendorsPackages(directory) ? [ExternalPackage.localDependenciesVariable: "1"] : [:]
    }

    /// Builds the checks executable of the package at `directory` (a grading workspace or a
    /// student's scaffold) in the debug configuration, with the toolchain on PATH.
    static func buildChecks(packageAt directory: URL, product: String = "checks", withProgram: Bool = false, timeout: TimeInterval) throws -> BuildResult {
        guard let swift = ToolRunner.which("swift") else {
            throw GradingError.toolchainUnavailable("swift is not on PATH")
        }
        let environment = ProcessInfo.processInfo.environment.merging(packageVariables(directory)) { _, new in new }
        let outcome = try ToolRunner.run(
            swift, ["build", "--package-path", directory.path] + buildOptions + productArguments(product, withProgram: withProgram), environment: environment,
            timeout: timeout)
        return hostResult(outcome, directory: directory, product: product, withProgram: withProgram, timeout: timeout)
    }

    /// The result of a build on the host of the package at `directory`.
    static func hostResult(_ outcome: ToolRunner.Outcome, directory: URL, product: String, withProgram: Bool, timeout: TimeInterval) -> BuildResult {
        let executable = directory.appendingPathComponent(".build/debug/\(product)")
        let program = Self.program(besides: executable, isProcess: withProgram)
        let succeeded = outcome.status == 0 && !outcome.timedOut && FileManager.default.isExecutableFile(atPath: executable.path)
            && (!withProgram || program != nil)
        let diagnostics = outcome.timedOut
            ? "the build took longer than \(Int(timeout)) s and was stopped"
            : Self.trimDiagnostics(outcome.output, directory: directory)
        var result = BuildResult(succeeded: succeeded, diagnostics: succeeded ? "" : diagnostics, seconds: outcome.seconds, executable: succeeded ? executable : nil)
        result.program = succeeded ? program : nil
        if !succeeded { result.failure = outcome.timedOut ? .tooSlow(seconds: Int(timeout)) : .compileErrors }
        return result
    }

    /// Keeps the compiler's `error:` lines and their context, with workspace paths shortened.
    static func trimDiagnostics(_ output: String, directory: URL) -> String {
        let prefix = directory.standardizedFileURL.path + "/"
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: prefix, with: "") }
        // `File.swift:12:5: error: …` lines, without the compiler's decorated repeats.
        var seen: Set<String> = []
        // An error inside the grader's hidden checks never shows its file, line or text: the
        // checks do not import the student's module, so such an error is the course's to fix.
        // Nor does a linker's line naming a checks object (`checks.build/HiddenChecks.swift.o`).
        let hiddenMarkers = ["Checks/Hidden/", "checks.build/", "HiddenChecks"]
        let isHidden = { (line: String) in hiddenMarkers.contains { line.contains($0) } }
        let errors = lines.map { isHidden($0) ? "error: the grader's own checks failed to compile (the instructor's problem, not your code's)" : $0 }
            .filter { line in
                guard line.contains("error:"), !line.trimmingCharacters(in: .whitespaces).hasPrefix("|") else { return false }
                return seen.insert(line).inserted
            }
        let tail = lines.suffix(20).filter { !isHidden($0) }
        return (errors.isEmpty ? Array(tail) : Array(errors.prefix(15))).joined(separator: "\n")
    }
}
