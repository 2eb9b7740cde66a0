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
        policy = SubmissionPolicy(
            allowedImports: manifest.allowedImports, forbiddenNames: manifest.forbiddenNames ?? [],
            templateSurface: PublicSurface(sources: sources).signatures)
    }

    /// Every problem with the student files under `submission`, as `file:line: reason` lines;
    /// empty when the submission may be compiled. Missing files are left to the build.
    /// Blocking: parses every file, then runs the compiler's import listing once.
    public func problems(in submission: URL) throws -> [String] {
        var problems: [String] = []
        var present: [URL] = []
        for file in manifest.studentFiles {
            let url = submission.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append("\(file): not UTF-8 text; save it as UTF-8")
                continue
            }
            present.append(url)
            problems += policy.violations(in: text, file: file).map(\.description)
        }
        guard problems.isEmpty else { return problems }
        let unexpected = try CompilerImports.unexpected(in: present, allowed: manifest.allowedImports)
        return unexpected.map { "the compiler reads an import of \($0), which this assignment does not allow" }
    }
}
