import Foundation

/// A known-buggy variant of an assignment's solution that the checks must reject.
///
/// A mutant is stored as edits of the solution rather than as a copy, so the two never drift:
/// when the solution changes so that an edit no longer applies, loading the mutant fails and
/// says which edit to update.
public struct Mutant: Codable, Sendable, Equatable {
    /// One textual replacement, applied in order; `find` must occur exactly once.
    public struct Edit: Codable, Sendable, Equatable {
        /// The student file to edit; the manifest's first student file when absent.
        public var file: String?
        /// The text to replace; it must occur exactly once in the file.
        public var find: String
        /// The text put in its place.
        public var replace: String
    }

    /// The mutant's name, unique among the assignment's mutants.
    public var id: String
    /// The bug, in a phrase.
    public var description: String
    /// The edits that turn the solution into this mutant, applied in order.
    public var edits: [Edit]

    /// Reads an assignment's mutants.
    /// - Throws: ``GradingError/invalidManifest(_:reason:)`` if the file is missing or malformed.
    public static func load(for manifest: AssignmentManifest, layout: CourseLayout) throws -> [Mutant] {
        let url = layout.path(manifest.mutantsFile)
        do {
            return try JSONDecoder().decode([Mutant].self, from: Data(contentsOf: url))
        } catch {
            throw GradingError.invalidManifest(manifest.id, reason: "cannot read its mutants from \(manifest.mutantsFile): \(error.localizedDescription)")
        }
    }

    /// The student files of this mutant: the solution's, with the edits applied.
    /// - Throws: ``GradingError/invalidManifest(_:reason:)`` if an edit no longer matches the solution.
    public func sources(for manifest: AssignmentManifest, layout: CourseLayout) throws -> [String: String] {
        var files: [String: String] = [:]
        for file in manifest.studentFiles {
            let url = layout.path(manifest.solutionDirectory).appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw GradingError.invalidManifest(manifest.id, reason: "the solution lacks \(file)")
            }
            files[file] = text
        }
        for (index, edit) in edits.enumerated() {
            let file = edit.file ?? manifest.studentFiles[0]
            guard let text = files[file] else {
                throw GradingError.invalidManifest(manifest.id, reason: "mutant \(id) edits \(file), which is not a student file")
            }
            let occurrences = text.components(separatedBy: edit.find).count - 1
            guard occurrences == 1 else {
                throw GradingError.invalidManifest(manifest.id, reason: "edit \(index + 1) of mutant \(id) matches the solution \(occurrences) times instead of once; update \(manifest.mutantsFile) to the solution")
            }
            files[file] = text.replacingOccurrences(of: edit.find, with: edit.replace)
        }
        return files
    }

    /// Writes this mutant's student files under `directory` (as a submission would hold them).
    public func materialize(for manifest: AssignmentManifest, layout: CourseLayout, into directory: URL) throws {
        for (file, text) in try sources(for: manifest, layout: layout) {
            let url = directory.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
