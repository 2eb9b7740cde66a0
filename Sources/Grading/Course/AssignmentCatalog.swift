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
        } catch let error as DecodingError {
            throw GradingError.invalidManifest(id, reason: Self.describe(error))
        } catch {
            throw GradingError.invalidManifest(id, reason: error.localizedDescription)
        }
        let problems = manifest.problems()
        guard problems.isEmpty else { throw GradingError.invalidManifest(id, reason: problems.joined(separator: "; ")) }
        guard manifest.id == id else { throw GradingError.invalidManifest(id, reason: "its id is \(manifest.id)") }
        return manifest
    }

    /// A manifest's decoding error as the place and the problem, for example
    /// `checks[3].visibility: Cannot initialize CheckVisibility from invalid String value hiden`.
    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(place(context.codingPath)): expected \(type) (\(context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
