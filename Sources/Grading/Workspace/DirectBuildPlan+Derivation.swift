import Foundation

extension DirectBuildPlan {
    /// Options of SwiftPM's compile commands a whole-module student compile leaves out, each
    /// followed by a value: the per-file output map (one object now) and the index store
    /// (for editors; nothing in grading reads it).
    static let droppedOptionsWithValue: Set<String> = ["-output-file-map", "-index-store-path"]
    /// Options left out on their own: incremental and batch compilation (each build compiles
    /// the student's targets whole), machine-readable output (a person reads the errors),
    /// and dependency and diagnostics files nothing reads. SwiftPM's response file of the
    /// target's sources (`@…/sources`) goes too: the sources are named directly.
    static let droppedOptions: Set<String> = [
        "-incremental", "-enable-batch-mode", "-parseable-output", "-emit-dependencies", "-serialize-diagnostics",
    ]

    /// The plan of the package at `directory`, from the build plan SwiftPM wrote there, or nil
    /// when it does not have the shape the direct build needs (then `swift build` stays).
    ///
    /// - Parameters:
    ///   - studentTargets: The student's module first, then every target built directly on it
    ///     (the adapter, or a process assignment's program).
    ///   - linker: The linker to ask the compiler driver for (`-use-ld=`), or nil for its default.
    /// - Throws: When a rewritten object list cannot be written into the build directory.
    static func derive(directory: URL, studentTargets: [String], linker: String? = nil) throws -> DirectBuildPlan? {
        guard let plan = SwiftPMPlanFile(packageAt: directory), let module = studentTargets.first else { return nil }
        var steps: [[String]] = []
        var objects: [(buildDirectory: String, object: String)] = []
        var studentSources: [String] = []
        for target in studentTargets {
            guard let compile = plan.compile(of: target),
                let map = SwiftPMPlanFile.value(of: "-output-file-map", in: compile.arguments)
            else { return nil }
            let sources = compile.inputs.filter { $0.hasSuffix(".swift") }
            guard !sources.isEmpty else { return nil }
            if target == module { studentSources = sources }
            let buildDirectory = (map as NSString).deletingLastPathComponent
            let object = "\(buildDirectory)/\(target).wmo.o"
            steps.append(wholeModule(compile.arguments, object: object, sources: sources))
            objects.append((buildDirectory, object))
        }
        // Only the student's targets may read the student module's interface; anything else
        // compiled against it would keep the warm-up's objects, built on the solution.
        guard let interface = SwiftPMPlanFile.value(of: "-emit-module-path", in: plan.compile(of: module)?.arguments ?? []) else { return nil }
        let studentCompiles = Set(studentTargets.compactMap { plan.compile(of: $0)?.name })
        func readers(of interface: String) -> [SwiftPMPlanFile.Command] {
            plan.commands.values.filter {
                !$0.arguments.isEmpty && $0.inputs.contains(interface) && !studentCompiles.contains($0.name) && !$0.arguments.contains("-modulewrap")
            }
        }
        guard readers(of: interface).isEmpty else { return nil }
        // A target built on the student module that others compile against (the adapter, read
        // by the checks) must leave nothing in them that the student module could change.
        for target in studentTargets.dropFirst() {
            guard let compile = plan.compile(of: target),
                let ownInterface = SwiftPMPlanFile.value(of: "-emit-module-path", in: compile.arguments)
            else { return nil }
            guard !readers(of: ownInterface).isEmpty else { continue }
            let sources = compile.inputs.filter { $0.hasSuffix(".swift") }
            let texts = sources.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            guard texts.count == sources.count, OpaqueInterface.holds(inSources: texts) else { return nil }
        }
        var outputs: [String] = []
        for link in plan.links {
            switch try relink(link.arguments, replacing: objects, linker: linker) {
            case .relinked(let arguments, let output):
                steps.append(arguments)
                outputs.append(output)
            case .untouched:
                continue
            case .unreadable:
                return nil
            }
        }
        guard !outputs.isEmpty else { return nil }
        return DirectBuildPlan(steps: steps, studentSources: studentSources, outputs: outputs)
    }

    /// SwiftPM's compile of one target as a whole-module compile of `sources` into `object`.
    static func wholeModule(_ arguments: [String], object: String, sources: [String]) -> [String] {
        var kept: [String] = []
        var skipValue = false
        for argument in arguments {
            if skipValue {
                skipValue = false
                continue
            }
            if droppedOptionsWithValue.contains(argument) {
                skipValue = true
            } else if !droppedOptions.contains(argument) && !(argument.hasPrefix("@") && argument.hasSuffix("/sources")) {
                kept.append(argument)
            }
        }
        return kept + ["-wmo", "-o", object] + sources
    }

    /// What became of one link command.
    enum Relink: Equatable {
        /// It links student objects: the rewritten command and the executable it writes.
        case relinked(arguments: [String], output: String)
        /// It links none of them; the product stays as the warm-up built it.
        case untouched
        /// Its object list is missing or names a file in a form not read here (quoted, for
        /// a path with spaces), so whether it links student objects is unknown.
        case unreadable
    }

    /// A link command with the objects under the student targets' build directories replaced
    /// by their whole-module objects, written as a new object list beside SwiftPM's.
    static func relink(
        _ arguments: [String], replacing objects: [(buildDirectory: String, object: String)], linker: String?
    ) throws -> Relink {
        guard let output = SwiftPMPlanFile.value(of: "-o", in: arguments),
            let listIndex = arguments.firstIndex(where: { $0.hasPrefix("@") })
        else { return .unreadable }
        let list = String(arguments[listIndex].dropFirst())
        guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { return .unreadable }
        var lines = text.split(separator: "\n").map(String.init)
        guard lines.allSatisfy({ $0.hasPrefix("/") && !$0.contains("\"") && !$0.contains("'") }),
            !objects.contains(where: { $0.object.contains(" ") || $0.object.contains("\"") || $0.object.contains("'") })
        else { return .unreadable }
        var replaced = false
        for (directory, object) in objects where lines.contains(where: { $0.hasPrefix(directory + "/") }) {
            lines.removeAll { $0.hasPrefix(directory + "/") }
            lines.append(object)
            replaced = true
        }
        guard replaced else { return .untouched }
        let directList = (list as NSString).deletingLastPathComponent + "/Objects.direct.LinkFileList"
        try (lines.joined(separator: "\n") + "\n").write(toFile: directList, atomically: true, encoding: .utf8)
        var rewritten = arguments
        rewritten[listIndex] = "@" + directList
        if let linker { rewritten.append("-use-ld=\(linker)") }
        return .relinked(arguments: rewritten, output: output)
    }
}
