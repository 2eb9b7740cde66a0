import Foundation

/// Creates a new assignment from the course's skeleton (`Skeleton/`): the manifest, student
/// README, contract, adapter and public checks under `Assignments/<id>/`, hidden checks, a mutant
/// and a correct alternative under `grading/<id>/`, the solution and the template. The result is
/// a working assignment (a shared counter) that `turnstile validate` passes, to be rewritten into
/// the author's exercise.
///
/// Blocking: file system only. Nothing is overwritten: an existing assignment or file is an error.
public struct AssignmentSkeleton: Sendable {
    /// The course checkout holding `Skeleton/` and receiving the new assignment.
    public let layout: CourseLayout

    /// Creates a skeleton writer for `layout`.
    public init(layout: CourseLayout) { self.layout = layout }

    /// The skeleton's directory.
    public var directory: URL { layout.path("Skeleton") }

    /// Why `id`, `module` and `title` cannot be used, or nil: an id is lowercase words joined by
    /// `-`, a module an upper-camel-case Swift identifier, a title one non-empty line.
    public static func problem(id: String, module: String, title: String) -> String? {
        if id.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"#, options: .regularExpression) == nil {
            return "the id '\(id)' must be lowercase letters and digits in words joined by '-', like semaphore-barrier"
        }
        if module.range(of: #"^[A-Z][A-Za-z0-9]*$"#, options: .regularExpression) == nil {
            return "the module '\(module)' must be an UpperCamelCase Swift name, like SemaphoreBarrier"
        }
        if title.trimmingCharacters(in: .whitespaces).isEmpty || title.contains("\n") || title.contains("\"") || title.contains("\\") {
            return "the title must be one line without quotes or backslashes"
        }
        return nil
    }

    /// Writes assignment `id` with Swift module `module` and `title`; returns the files written,
    /// relative to the course root, sorted.
    /// - Throws: ``GradingError/io(_:)`` for a bad id, module or title, an existing assignment,
    ///   or a missing skeleton.
    public func create(id: String, module: String, title: String) throws -> [String] {
        if let problem = Self.problem(id: id, module: module, title: title) { throw GradingError.io(problem) }
        if FileManager.default.fileExists(atPath: layout.assignments.appendingPathComponent(id).path) {
            throw GradingError.io("assignment \(id) exists already (Assignments/\(id)); pick another id")
        }
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw GradingError.io("the course has no skeleton at \(directory.path); restore Skeleton/ from the repository")
        }
        let substitute = { (text: String) in
            text.replacingOccurrences(of: "__ID__", with: id).replacingOccurrences(of: "__MODULE__", with: module)
                .replacingOccurrences(of: "__TITLE__", with: title)
        }
        var planned: [(source: URL, relative: String)] = []
        let base = directory.standardizedFileURL.path + "/"
        for case let source as URL in enumerator {
            guard (try? source.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(source.standardizedFileURL.path.dropFirst(base.count))
            // The skeleton's own README explains the skeleton; it is not part of an assignment.
            guard relative != "README.md" else { continue }
            planned.append((source, substitute(relative)))
        }
        for (_, relative) in planned where FileManager.default.fileExists(atPath: layout.path(relative).path) {
            throw GradingError.io("\(relative) exists already; remove it or pick another id")
        }
        for (source, relative) in planned {
            let destination = layout.path(relative)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let text = try String(contentsOf: source, encoding: .utf8)
            try substitute(text).write(to: destination, atomically: true, encoding: .utf8)
        }
        return planned.map(\.relative).sorted()
    }
}
