import CheckKit
import Foundation
import Gradebook

/// Everything learnt about one student's submission while grading it.
struct SubmissionAttempt {
    /// Ends grading of this submission with a status.
    struct Stop: Error {
        var status: SubmissionStatus
        var detail: String
        init(_ status: SubmissionStatus, _ detail: String) {
            self.status = status
            self.detail = detail
        }
    }

    let entry: RosterEntry
    let manifest: AssignmentManifest
    var status: SubmissionStatus = .internalError
    var detail = ""
    var commit: CommitInfo?
    var fetchedAt = Date()
    var checks: [CheckResultRecord] = []
    var buildSeconds: Double?
    var lateDays = 0
    var skipped = false
    /// How the commit was chosen, for the record (a collection, or claimed times).
    var note: String?

    init(entry: RosterEntry, manifest: AssignmentManifest) {
        self.entry = entry
        self.manifest = manifest
    }

    var rawScore: Double { checks.reduce(0) { $0 + $1.points } }

    var latePenalty: Double {
        guard lateDays > 0 else { return 0 }
        return min(rawScore, rawScore * manifest.latePolicy.penaltyPerDay * Double(lateDays))
    }

    /// - Parameter hiddenFiles: File names of the hidden checks' sources; their `File.swift:N`
    ///   locations in a hidden check's message become "a hidden check" (the instructor sees them
    ///   with `turnstile gradebook replay`).
    func checkRecord(_ check: AssignmentManifest.CheckEntry, _ result: CheckProcess.Result, hiddenFiles: [String] = []) -> CheckResultRecord {
        let outcome = result.verdict.outcome
        // The feedback adds the replay command for public checks (from the seed), never for hidden ones.
        // A passed check says what it covered (schedules, completeness, PCT's probability bound).
        var message = result.verdict == .passed ? result.record.map(CheckHarness.coverage) ?? "" : result.message
        if check.visibility != .public { message = Self.redact(message, hiddenFiles: hiddenFiles) }
        let title = result.record.map(\.title).flatMap { $0.isEmpty ? nil : $0 } ?? check.id
        return CheckResultRecord(
            checkID: check.id, title: title, outcome: outcome, points: result.verdict == .passed ? check.points : 0,
            maxPoints: check.points, durationSeconds: result.wallSeconds, seed: result.record?.replaySeed ?? result.record?.seed,
            trace: result.record?.trace ?? result.crashReport, message: message,
            visibility: check.visibility,
            studentOutput: result.studentOutput.isEmpty ? nil : result.studentOutput, property: Self.property(of: result))
    }

    func skippedCheck(_ check: AssignmentManifest.CheckEntry, reason: String) -> CheckResultRecord {
        CheckResultRecord(
            checkID: check.id, title: check.id, outcome: .skipped, points: 0, maxPoints: check.points, durationSeconds: 0,
            message: reason, visibility: check.visibility)
    }

    func record(checksVersion: String) -> SubmissionRecord {
        var statusDetail = detail
        if let note, !note.isEmpty { statusDetail += (statusDetail.isEmpty ? "" : "; ") + note }
        if lateDays > 0 { statusDetail += (statusDetail.isEmpty ? "" : "; ") + "\(lateDays) day(s) late" }
        return SubmissionRecord(
            studentID: entry.studentID, assignmentID: manifest.id, repository: FetchError.redacted(entry.repository), commitID: commit?.id,
            commitTime: commit?.time, fetchedAt: fetchedAt, status: status, statusDetail: statusDetail, checks: checks,
            score: rawScore, maxScore: manifest.maxScore, latePenalty: latePenalty, gradedAt: Date(),
            checksVersion: checksVersion, buildSeconds: buildSeconds)
    }

    func outcome(seconds: Double, recorded: Bool) -> StudentOutcome {
        StudentOutcome(
            studentID: entry.studentID, name: entry.name, status: skipped ? .skipped : .recorded(status),
            detail: detail, score: max(0, rawScore - latePenalty), maxScore: manifest.maxScore, commitID: commit?.id,
            seconds: seconds, buildSeconds: buildSeconds, isProblem: !skipped && status != .graded,
            toReview: skipped ? [] : Self.unscoredFailures(checks), checksVersion: manifest.checksVersion)
    }

    /// Unscored checks that did not pass, each as "check-id (property)": a real-thread run found
    /// something, which costs no points (it is not reproducible) but is worth an instructor's look.
    static func unscoredFailures(_ checks: [CheckResultRecord]) -> [String] {
        checks.filter { $0.maxPoints == 0 && $0.outcome != .passed && $0.outcome != .skipped && $0.outcome != .incomplete }
            .map { "\($0.checkID) (\($0.property ?? $0.outcome.rawValue))" }
    }

    /// `message` with every `HiddenFile.swift:N` of `hiddenFiles` replaced by "a hidden check".
    static func redact(_ message: String, hiddenFiles: [String]) -> String {
        var text = message
        for file in hiddenFiles {
            let escaped = NSRegularExpression.escapedPattern(for: file)
            text = text.replacingOccurrences(of: "\\b\(escaped):[0-9]+", with: "a hidden check", options: .regularExpression)
        }
        return text
    }

    /// The property a failed check broke, in the engine's words.
    static func property(of result: CheckProcess.Result) -> String? {
        switch result.verdict {
        case .passed, .incomplete: nil
        case .failed:
            switch result.record?.failureKind {
            case "native": "wrong result on real threads"
            // An assertion is recorded under what its check is about; an engine-detected
            // failure (deadlock, livelock, starvation, misuse) under its own kind.
            // A peer check's failure is what the peer saw, under the property its check is about.
            case "assertion", "peer", nil: result.record?.property?.rawValue ?? "assertion"
            case let kind?: kind
            }
        case .crashed: result.message.hasPrefix("killed: over the memory limit") ? "memory limit" : "crash"
        case .timedOut: result.message.hasPrefix("too slow") ? "too slow" : "no progress"
        case .error: "no result"
        }
    }
}
