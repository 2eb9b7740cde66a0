import Foundation

/// A student's build without `swift build`: the few compiler commands that depend on the
/// student's files, taken from the build plan SwiftPM wrote (`.build/debug.yaml`) when the
/// warm-up built the workspace, and run in order by one shell in the build's sandbox.
///
/// Why: on a warm workspace, a student's `swift build` spent about 0.5 s (a no-op `swift build`
/// of the same workspace, measured) loading the manifest, planning and checking every other
/// target before it compiled anything, then compiled the student module file by file. The
/// plan runs only what a new submission changes:
///
/// 1. the student module, compiled whole (`-wmo`, one object; same flags otherwise, without the
///    index store, incremental records and machine-readable output SwiftPM asks for);
/// 2. each other target that imports it (the adapter, or a process assignment's program),
///    the same way;
/// 3. the link of each product those objects go into (the checks, or the program), from
///    SwiftPM's own object list with the student targets' objects replaced, with the
///    toolchain's `lld` where it ships one.
///
/// Everything else (runtime, CheckKit, contract, checks) keeps the objects the warm-up built:
/// none of it imports the student's module, which ``derive(directory:studentTargets:)``
/// verifies from the plan (no other command reads the student module's interface), and the
/// checks see the adapter only through its own, course-written interface.
///
/// The plan is derived right after a successful warm-up and saved at ``location(in:)``;
/// ``GradingWorkspace/prepare()`` deletes it, so it never outlives the course files it was
/// derived from. A workspace without one, or a submission whose files in the student module's
/// directory are not exactly the ones it compiles, builds with `swift build` as before.
struct DirectBuildPlan: Codable, Sendable, Equatable {
    /// The commands, in order; each an argument vector whose first element is the program.
    var steps: [[String]]
    /// The student files the plan compiles (absolute paths); all must be present.
    var studentSources: [String]
    /// The executables the plan links; removed before each build, so a failed build can never
    /// leave the previous submission's executable in place.
    var outputs: [String]

    /// Where a workspace keeps its plan.
    static func location(in directory: URL) -> URL {
        directory.appendingPathComponent(".build/turnstile-direct-build.json")
    }

    /// The workspace's saved plan, or nil when there is none (or it cannot be read).
    static func load(in directory: URL) -> DirectBuildPlan? {
        guard let data = try? Data(contentsOf: location(in: directory)) else { return nil }
        return try? JSONDecoder().decode(DirectBuildPlan.self, from: data)
    }

    /// Saves the plan in the workspace.
    func save(in directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: Self.location(in: directory), options: .atomic)
    }

    /// Deletes the workspace's plan, if any.
    static func remove(in directory: URL) {
        try? FileManager.default.removeItem(at: location(in: directory))
    }

    /// Whether the files under the student module's directory are exactly the ones the plan
    /// compiles (no fewer, no others, of any kind), so the plan builds the submission
    /// installed now as `swift build` would.
    func compilesExactly(filesUnder moduleDirectory: URL) -> Bool {
        let root = moduleDirectory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return false }
        var installed: Set<String> = []
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
            if !isDirectory.boolValue { installed.insert(path) }
        }
        return installed == Set(studentSources.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
    }

    /// The steps as one POSIX shell script that stops at the first failing step.
    var script: String {
        (["set -e"] + steps.map { $0.map(Self.quoted).joined(separator: " ") }).joined(separator: "\n")
    }

    /// `text` as one single-quoted shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
