import CheckKit
import Foundation

/// A scaffolded assignment on a student's machine: finds it, builds its public checks, and runs
/// them each in its own process (no sandbox: it is the student's own code on their own machine).
public struct StudentProject: Sendable {
    /// The package root (holding `.turnstile/assignment.json`).
    public let directory: URL
    /// The manifest copied in at scaffolding time.
    public let manifest: AssignmentManifest

    /// Finds the project containing `start` (searching upwards).
    /// - Throws: ``GradingError/io(_:)`` if there is none.
    public static func locate(from start: URL) throws -> StudentProject {
        var directory = start.standardizedFileURL
        while true {
            let marker = directory.appendingPathComponent(Scaffolder.markerPath)
            if let data = try? Data(contentsOf: marker) {
                do {
                    return StudentProject(directory: directory, manifest: try JSONDecoder().decode(AssignmentManifest.self, from: data))
                } catch {
                    throw GradingError.io("\(marker.path) is damaged (\(error.localizedDescription)); scaffold again with `turnstile init`")
                }
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw GradingError.io("not inside a Turnstile assignment (no \(Scaffolder.markerPath) here or above); run `turnstile init ASSIGNMENT DIR` first, then cd into DIR")
            }
            directory = parent
        }
    }

    /// What the grader's vetting would refuse in the student's files (`file:line: reason`),
    /// checked before building so a student learns it before the deadline.
    public func vettingProblems() throws -> [String] {
        let surface = (try? Data(contentsOf: directory.appendingPathComponent(Scaffolder.publicAPIPath)))
            .flatMap { try? JSONDecoder().decode([String].self, from: $0) }
        let policy = SubmissionPolicy(manifest: manifest, templateSurface: surface.map(Set.init))
        return manifest.studentFiles.flatMap { file -> [String] in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { return [] }
            // A syntax error is left to the compiler, whose diagnostics say more.
            return policy.violations(in: text, file: file).filter { !$0.isParseError }.map(\.description)
        }
    }

    /// Builds the checks executable.
    public func build() throws -> GradingWorkspace.BuildResult {
        try GradingWorkspace.buildChecks(
            packageAt: directory, withProgram: manifest.isProcess, timeout: TimeInterval(manifest.limits.buildSeconds))
    }

    /// The public check ids, in manifest order.
    public var publicCheckIDs: [String] { manifest.checks.filter { $0.visibility == .public }.map(\.id) }

    /// Runs one check in its own process with the assignment's limits.
    /// - Parameter program: A process assignment's program (``GradingWorkspace/BuildResult/program``).
    public func run(checkID: String, executable: URL, replay: UInt64?, program: URL? = nil) throws -> CheckProcess.Result {
        let process = CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits))
        let instances = manifest.checks.first { $0.id == checkID }?.programs ?? 1
        return try process.run(checkID: checkID, executable: executable, replay: replay, counterpart: program, counterpartInstances: instances)
    }
}
