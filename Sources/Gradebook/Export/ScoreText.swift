import Foundation

/// How scores and dates are written in exports, feedback and the audit trail.
enum ScoreText {
    /// A score rounded to 4 decimals, without a trailing `.0`: `10`, `7.5`, `3.3333`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}

/// Dates as ISO 8601 in UTC, for example `2025-03-01T12:00:00Z`.
enum DateText {
    static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
