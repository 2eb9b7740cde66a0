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
        /// The checks executable, when the build succeeded.
        public var executable: URL?
    }

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
        do {
            try package.writeFixedParts()
        } catch {
            throw GradingError.io("cannot prepare the grading workspace at \(directory.path): \(error.localizedDescription)")
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
    }

    /// Compiles the checks executable (debug configuration) with the toolchain on PATH.
    public func build(timeout: TimeInterval? = nil) throws -> BuildResult {
        try Self.buildChecks(
            packageAt: directory, product: package.checksBinaryName,
            timeout: timeout ?? TimeInterval(manifest.limits.buildSeconds))
    }

    /// Builds the checks executable of the package at `directory` (a grading workspace or a
    /// student's scaffold) in the debug configuration, with the toolchain on PATH.
    static func buildChecks(packageAt directory: URL, product: String = "checks", timeout: TimeInterval) throws -> BuildResult {
        guard let swift = ToolRunner.which("swift") else {
            throw GradingError.toolchainUnavailable("swift is not on PATH")
        }
        let outcome = try ToolRunner.run(
            swift, ["build", "--package-path", directory.path, "--product", product], timeout: timeout)
        let executable = directory.appendingPathComponent(".build/debug/\(product)")
        let succeeded = outcome.status == 0 && !outcome.timedOut && FileManager.default.isExecutableFile(atPath: executable.path)
        let diagnostics = outcome.timedOut
            ? "the build took longer than \(Int(timeout)) s and was stopped"
            : Self.trimDiagnostics(outcome.output, directory: directory)
        return BuildResult(succeeded: succeeded, diagnostics: succeeded ? "" : diagnostics, seconds: outcome.seconds, executable: succeeded ? executable : nil)
    }

    /// Keeps the compiler's `error:` lines and their context, with workspace paths shortened.
    static func trimDiagnostics(_ output: String, directory: URL) -> String {
        let prefix = directory.standardizedFileURL.path + "/"
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: prefix, with: "") }
        // `File.swift:12:5: error: …` lines, without the compiler's decorated repeats.
        var seen: Set<String> = []
        let errors = lines.filter { line in
            guard line.contains(": error:"), !line.trimmingCharacters(in: .whitespaces).hasPrefix("|") else { return false }
            return seen.insert(line).inserted
        }
        return (errors.isEmpty ? Array(lines.suffix(20)) : Array(errors.prefix(15))).joined(separator: "\n")
    }
}
