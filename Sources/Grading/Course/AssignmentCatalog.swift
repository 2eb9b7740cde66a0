import Foundation

/// The assignments of a course, read from `Assignments/*/assignment.json`.
public struct AssignmentCatalog: Sendable {
    /// The course checkout the assignments are read from.
    public let layout: CourseLayout

    /// Creates a catalog of the assignments under `layout`'s `Assignments/`.
    /// - Parameter layout: The course checkout.
    public init(layout: CourseLayout) {
        self.layout = layout
    }

    /// Every assignment id, sorted.
    public func ids() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: layout.assignments.path)) ?? []
        return entries.filter {
            FileManager.default.fileExists(atPath: layout.assignments.appendingPathComponent("\($0)/assignment.json").path)
        }.sorted()
    }

    /// Loads and validates one manifest.
    /// - Throws: ``GradingError/unknownAssignment(_:known:)`` or ``GradingError/invalidManifest(_:reason:)``.
    public func manifest(_ id: String) throws -> AssignmentManifest {
        let known = ids()
        guard known.contains(id) else { throw GradingError.unknownAssignment(id, known: known) }
        let url = layout.assignments.appendingPathComponent("\(id)/assignment.json")
        let manifest: AssignmentManifest
        do {
            manifest = try JSONDecoder().decode(AssignmentManifest.self, from: Data(contentsOf: url))
        } catch {
            throw GradingError.invalidManifest(id, reason: "\(error)")
        }
        let problems = manifest.problems()
        guard problems.isEmpty else { throw GradingError.invalidManifest(id, reason: problems.joined(separator: "; ")) }
        guard manifest.id == id else { throw GradingError.invalidManifest(id, reason: "its id is \(manifest.id)") }
        return manifest
    }
}
