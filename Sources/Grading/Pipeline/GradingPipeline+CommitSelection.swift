import Foundation
import Gradebook

extension GradingPipeline {
    /// Picks the commit to grade and its lateness.
    ///
    /// - Without a deadline: the tip.
    /// - On time only: the commit pinned by the first collection at or after the deadline,
    ///   walked back to the newest commit dated at or before it (the pin bounds what a backdated
    ///   commit can do), or the branch's history by claimed date when nothing was collected.
    /// - With late work allowed and a collection on record: lateness comes from when the grader
    ///   **first saw** a commit (every fetch by `collect` or `grade` records its sightings), never
    ///   from its claimed date. The newest commit first seen within the late window is graded,
    ///   late by the started days between the deadline (plus grace) and that sighting, unless it
    ///   is the on-time commit (the collection's pin walked back to the deadline); a commit first
    ///   seen after the window is not eligible.
    /// - With late work allowed and no collection: claimed dates, and the feedback says so.
    func selectCommit(
        mirror: URL, history: [CommitInfo], pinned: CollectionRecord?, attempt: inout SubmissionAttempt
    ) throws -> CommitInfo {
        let student = attempt.entry.studentID
        do {
            guard let deadline = options.deadline else { return try fetcher.lastCommit(in: mirror, atOrBefore: nil) }
            let collected = (try? store.hasCollection(studentID: student, assignmentID: manifest.id)) ?? false
            if options.allowLate, manifest.latePolicy.maxDaysLate > 0 {
                let window = deadline.addingTimeInterval(Double(manifest.latePolicy.maxDaysLate) * 86_400)
                let grace = deadline.addingTimeInterval(Double(manifest.latePolicy.graceMinutes) * 60)
                guard collected else {
                    attempt.note = "no collection was made: commit times are as the student's machine claimed (run `turnstile collect` at the deadline)"
                    let latest = try fetcher.lastCommit(in: mirror, atOrBefore: window)
                    if latest.time > grace { attempt.lateDays = Self.startedDays(from: deadline, to: latest.time) }
                    return latest
                }
                let seen = (try? store.sightings(studentID: student, assignmentID: manifest.id)) ?? [:]
                // On time: what the deadline's collection pinned, walked back to the deadline.
                let onTime = pinned.flatMap { try? fetcher.lastCommit(in: mirror, atOrBefore: deadline, startingAt: $0.commitID) }
                // Newest first: the newest commit the grader saw within the window. If it is not
                // the on-time one, it is late by when it was first seen.
                if let late = history.first(where: { seen[$0.id].map { $0 <= window } ?? false }),
                    late.id != onTime?.id, let first = seen[late.id]
                {
                    attempt.lateDays = first > grace ? Self.startedDays(from: deadline, to: first) : 0
                    attempt.note = "first seen by the grader at \(ISO8601DateFormatter().string(from: first)) (its claimed date does not count)"
                    return late
                }
                if let onTime, let pinned {
                    attempt.note = "graded from the commit collected at \(ISO8601DateFormatter().string(from: pinned.collectedAt))"
                    return onTime
                }
                // Collections before the deadline only: the newest commit seen by then.
                if let early = history.first(where: { seen[$0.id].map { $0 <= grace } ?? false }) { return early }
                throw FetchError.noCommitBeforeDeadline(deadline, earliest: seen.values.min())
            }
            if let pinned {
                attempt.note = "graded from the commit collected at \(ISO8601DateFormatter().string(from: pinned.collectedAt))"
                return try fetcher.lastCommit(in: mirror, atOrBefore: deadline, startingAt: pinned.commitID)
            }
            if attempt.fetchedAt > deadline {
                attempt.note = "no collection at the deadline: commit times are as the student's machine claimed (run `turnstile collect` at the deadline)"
            }
            return try fetcher.lastCommit(in: mirror, atOrBefore: deadline)
        } catch let error as FetchError {
            if case .noCommitBeforeDeadline = error {
                throw SubmissionAttempt.Stop(.noCommitBeforeDeadline, error.localizedDescription)
            }
            throw SubmissionAttempt.Stop(.fetchFailed, error.localizedDescription)
        }
    }

    /// Started days from `deadline` to `moment` (1 for a minute late).
    static func startedDays(from deadline: Date, to moment: Date) -> Int {
        Int((moment.timeIntervalSince(deadline) / 86_400).rounded(.up))
    }
}
