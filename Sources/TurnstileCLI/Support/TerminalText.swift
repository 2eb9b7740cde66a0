/// Text a student or roster controls, made safe for a terminal: control characters (escape
/// sequences, carriage returns, line breaks) become a visible `�`, and a cell longer than its
/// width is cut with `…`, so a hostile name can neither repaint the screen nor blow up a table.
enum TerminalText {
    /// The widest a table cell may be.
    static let cellWidth = 40
    /// The widest a line of detail may be.
    static let lineWidth = 200

    /// `text` on one line, control characters replaced, at most `width` characters.
    static func cell(_ text: String, width: Int = cellWidth) -> String {
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "\u{FFFD}" : $0
        }))
        if cleaned.count > width { cleaned = String(cleaned.prefix(max(0, width - 1))) + "…" }
        return cleaned
    }

    /// Several lines of detail: each line cleaned and capped, at most `lines` of them.
    static func lines(_ text: String, lines: Int, width: Int = lineWidth) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).map { cell(String($0), width: width) }
    }
}
