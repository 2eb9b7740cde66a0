import Foundation
import Gradebook

extension GradingPipeline {
    /// Grades files a student uploaded (a directory, not a git repository), as an autograder
    /// service such as Gradescope hands them over, and records the result in the gradebook.
    ///
    /// Each of the manifest's `studentFiles` is taken from the upload at its own path, or, if
    /// it is not there, from the one file of the same name anywhere in the upload (services
    /// often flatten folders). Only regular files of at most 1 MiB are taken; nothing else in
    /// the upload is read. Then the same vetting, sandboxed build and checks as a batch.
    /// Deadlines and lateness are the service's business: none is applied.
    ///
    /// - Returns: The student's outcome; never throws for a bad upload (that is a `rejected`
    ///   status saying which file is missing or ambiguous).
    /// - Throws: Only when the gradebook cannot be written.
    public func gradeUpload(_ upload: URL, student: RosterEntry) throws -> StudentOutcome {
        try workspace.prepare()
        try store.upsertAssignment(AssignmentRecord(
            id: manifest.id, title: manifest.title, maxScore: manifest.maxScore, checksVersion: manifest.checksVersion))
        let runID = try store.startRun(assignmentID: manifest.id, deadline: nil, checksVersion: manifest.checksVersion)
        let start = Date()
        var attempt = SubmissionAttempt(entry: student, manifest: manifest)
        attempt.note = "uploaded files, not a git commit"
        do {
            try store.upsertStudent(StudentRecord(id: student.studentID, name: student.name, repository: student.repository, identity: student.identity))
            let submission = options.cacheDirectory.appendingPathComponent("submissions/\(Self.safeName(student.studentID))")
            try? FileManager.default.removeItem(at: submission)
            try UploadedFiles(upload: upload).copy(manifest.studentFiles, to: submission)
            try gradeFiles(in: submission, attempt: &attempt, workspace: workspace)
        } catch let error as SubmissionAttempt.Stop {
            attempt.status = error.status
            attempt.detail = error.detail
        } catch {
            attempt.status = .internalError
            attempt.detail = error.localizedDescription
        }
        try store.recordSubmission(attempt.record(checksVersion: manifest.checksVersion), runID: runID)
        let outcome = attempt.outcome(seconds: Date().timeIntervalSince(start), recorded: true)
        try store.finishRun(runID, summary: "1 uploaded submission: \(attempt.status.rawValue)")
        return outcome
    }
}

/// Finds a submission's files in an upload directory.
struct UploadedFiles {
    let upload: URL

    /// Copies each of `paths` from the upload to the same path under `destination`.
    /// - Throws: ``SubmissionAttempt/Stop`` (`rejected`) naming what is missing, ambiguous,
    ///   too large or not a regular file.
    func copy(_ paths: [String], to destination: URL) throws {
        let everything = regularFiles()
        var problems: [String] = []
        for path in paths {
            let name = (path as NSString).lastPathComponent
            let found: String
            if everything.contains(path) {
                found = path
            } else {
                let candidates = everything.filter { ($0 as NSString).lastPathComponent == name }
                guard candidates.count == 1 else {
                    problems.append(candidates.isEmpty
                        ? "\(name) is missing: upload it (at \(path), or anywhere as \(name))"
                        : "\(candidates.count) files are named \(name) (\(candidates.sorted().joined(separator: ", "))): upload only the one at \(path)")
                    continue
                }
                found = candidates.first!
            }
            let source = upload.appendingPathComponent(found)
            let size = (try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int) ?? 0
            guard size <= RepositoryFetcher.studentFileLimit else {
                problems.append("\(found) is \(size) bytes, over the 1 MiB limit")
                continue
            }
            let target = destination.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        if !problems.isEmpty { throw SubmissionAttempt.Stop(.rejected, problems.joined(separator: "; ")) }
    }

    /// Relative paths of the regular files in the upload (symbolic links and special files are
    /// not followed or taken; hidden directories such as `.git` are skipped).
    func regularFiles() -> Set<String> {
        guard let enumerator = FileManager.default.enumerator(
            at: upload, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: Set<String> = []
        let base = upload.standardizedFileURL.path
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isSymbolicLink != true, values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            files.insert(String(path.dropFirst(base.count + 1)))
        }
        return files
    }
}
