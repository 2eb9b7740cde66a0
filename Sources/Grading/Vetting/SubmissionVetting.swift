import Foundation

/// Vets a submission's student-owned files before anything is compiled: the syntax-tree policy
/// (``SubmissionPolicy``) with the template's public surface, then the compiler's own list of
/// imports (``CompilerImports``). Used by the grader, by `turnstile validate` for every variant,
/// and by `turnstile test`, so a student sees a refusal before the deadline, not after.
public struct SubmissionVetting: Sendable {
    /// The policy applied to each file.
    public let policy: SubmissionPolicy
    /// The assignment.
    public let manifest: AssignmentManifest
    /// The template's given declarations a submission must keep.
    public let given: GivenDeclarations
    /// The wall-clock safety net of the compiler's import listing (confirmed once at four
    /// times it, see ``CompilerImports/unexpected(in:allowed:seconds:)``).
    public var importListingSeconds: TimeInterval = CompilerImports.limitSeconds

    /// The vetting of `manifest`'s submissions, with the public surface taken from its template.
    /// - Throws: ``GradingError/io(_:)`` if a template file cannot be read.
    public init(manifest: AssignmentManifest, layout: CourseLayout) throws {
        let template = layout.path(manifest.templateDirectory)
        let sources = try manifest.studentFiles.map { file in
            do {
                return try String(contentsOf: template.appendingPathComponent(file), encoding: .utf8)
            } catch {
                throw GradingError.io("cannot read the template file \(file) of \(manifest.id): \(error.localizedDescription)")
            }
        }
        self.manifest = manifest
        policy = SubmissionPolicy(manifest: manifest, templateSurface: PublicSurface(sources: sources).signatures)
        given = try GivenDeclarations(names: manifest.givenDeclarations ?? [], templateSources: sources, assignment: manifest.id)
    }

    /// What the vetting concluded.
    public enum Verdict: Sendable, Equatable {
        /// Nothing forbidden: compile it.
        case clean
        /// Something forbidden, as `file:line: reason` lines: do not compile it.
        case refused([String])
        /// A file does not parse. Compile it only to show the compiler's own diagnostics: if it
        /// does compile, the grader's parser and the compiler disagree, and it must be refused.
        case unparsable([String])
    }

    /// Vets the student files under `submission`. Missing files are left to the build.
    /// Blocking: parses every file, then runs the compiler's import listing once.
    /// - Throws: ``GradingError/stalled(_:)`` when the import listing was stopped twice by its
    ///   safety net (no verdict: grade again later).
    public func vet(_ submission: URL) throws -> Verdict {
        var problems: [String] = []
        var unparsable: [String] = []
        var present: [URL] = []
        var texts: [(file: String, text: String)] = []
        for file in manifest.studentFiles {
            let url = submission.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append("\(file): not UTF-8 text; save it as UTF-8")
                continue
            }
            present.append(url)
            texts.append((file, text))
            for violation in policy.violations(in: text, file: file) {
                if violation.isParseError { unparsable.append(violation.description) } else { problems.append(violation.description) }
            }
        }
        if unparsable.isEmpty, present.count == manifest.studentFiles.count { problems += given.problems(in: texts) }
        if !problems.isEmpty { return .refused(problems) }
        if !unparsable.isEmpty { return .unparsable(unparsable) }
        let unexpected = try CompilerImports.unexpected(in: present, allowed: manifest.allowedImports, seconds: importListingSeconds)
        if !unexpected.isEmpty {
            return .refused(unexpected.map { "the compiler reads an import of \($0), which this assignment does not allow" })
        }
        return .clean
    }

    /// Every problem with the student files under `submission`, as `file:line: reason` lines;
    /// empty when the submission may be compiled (a file that does not parse counts as a problem).
    public func problems(in submission: URL) throws -> [String] {
        switch try vet(submission) {
        case .clean: []
        case .refused(let lines), .unparsable(let lines): lines
        }
    }
}
