import Foundation

/// How scores are written: exactly enough for exports, feedback and the audit trail
/// (``format(_:)``), and short for people reading a terminal or a log line (``display(_:)``).
/// The one place a score becomes text, so every command and file agrees.
public enum ScoreText {
    /// A score rounded to 4 decimals, without a trailing `.0`: `10`, `7.5`, `3.3333`.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }

    /// A score for people: whole points without decimals, otherwise one decimal: `10`, `12.5`,
    /// `3.3`.
    public static func display(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.1f", value)
    }
}

/// Dates as ISO 8601 in UTC, for example `2025-03-01T12:00:00Z`.
enum DateText {
    static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
