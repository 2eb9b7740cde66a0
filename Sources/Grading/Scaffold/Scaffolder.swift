import Foundation

/// Creates a student's repository for an assignment: a Swift package that builds (the
/// template's files, a copy of the runtime, the public checks), the assignment README, and a
/// git repository with a first commit.
public struct Scaffolder: Sendable {
    /// The course checkout the template, runtime and public checks are copied from.
    public let layout: CourseLayout
    /// The assignment to scaffold.
    public let manifest: AssignmentManifest

    /// Creates a scaffolder for one assignment.
    /// - Parameters:
    ///   - layout: The course checkout.
    ///   - manifest: The assignment, as loaded by ``AssignmentCatalog/manifest(_:)``.
    public init(layout: CourseLayout, manifest: AssignmentManifest) {
        self.layout = layout
        self.manifest = manifest
    }

    /// The marker file `turnstile test` looks for.
    public static let markerPath = ".turnstile/assignment.json"
    /// The template's public declarations, so `turnstile test` vets as the grader does.
    public static let publicAPIPath = ".turnstile/public-api.json"

    /// Scaffolds into `directory`, which must not exist or be empty.
    /// - Throws: ``GradingError/io(_:)`` if the directory has files, or writing fails.
    public func scaffold(into directory: URL, date: Date = Date()) throws {
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw GradingError.io("\(directory.path) is not empty; choose a new directory for the assignment")
        }
        do {
            let package = PackageLayout(layout: layout, manifest: manifest, directory: directory, includeHidden: false)
            try package.writeFixedParts()
            try package.mirror(layout.path(manifest.templateDirectory), to: directory, prune: false)
            try package.writeIfChanged(
                try Data(contentsOf: layout.assignments.appendingPathComponent("\(manifest.id)/README.md")),
                to: directory.appendingPathComponent("README.md"))
            try package.writeIfChanged(".build/\n.swiftpm/\nPackage.resolved\n", to: directory.appendingPathComponent(".gitignore"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try package.writeIfChanged(try encoder.encode(manifest), to: directory.appendingPathComponent(Self.markerPath))
            let surface = try SubmissionVetting(manifest: manifest, layout: layout).policy.templateSurface ?? []
            try package.writeIfChanged(
                try encoder.encode(surface.sorted()), to: directory.appendingPathComponent(Self.publicAPIPath))
        } catch let error as GradingError {
            throw error
        } catch {
            throw GradingError.io("cannot write the assignment into \(directory.path): \(error.localizedDescription)")
        }
        try LocalRepository(directory: directory).commitAll(message: "Start \(manifest.id) from the Turnstile template", date: date)
    }
}
