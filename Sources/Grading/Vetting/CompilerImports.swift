import Foundation

/// The modules the Swift compiler itself says a set of files imports (`swiftc
/// -emit-imported-modules`), a second opinion on the syntax-tree vetting: if the compiler's
/// parser ever read an import the vetting missed, the submission is still refused.
public enum CompilerImports {
    /// Modules every Swift file imports implicitly.
    public static let implicit: Set<String> = ["Swift", "SwiftOnoneSupport", "_Concurrency", "_StringProcessing", "_SwiftConcurrencyShims"]

    /// The wall-clock safety net of one listing: about a hundred times its usual cost.
    public static let limitSeconds: TimeInterval = 60

    /// The modules `files` import that are neither implicit nor in `allowed`.
    ///
    /// A listing stopped by its wall-clock limit (`seconds`) runs once more at four times it;
    /// stopped again, it is the machine's problem, not a verdict on the code.
    /// - Throws: ``GradingError/toolchainUnavailable(_:)`` when `swiftc` cannot run;
    ///   ``GradingError/stalled(_:)`` when both listings were stopped.
    /// Blocking: runs the compiler's parser once for all files (about half a second).
    public static func unexpected(in files: [URL], allowed: [String], seconds: TimeInterval = limitSeconds) throws -> [String] {
        guard !files.isEmpty else { return [] }
        guard let swiftc = ToolRunner.which("swiftc") else { throw GradingError.toolchainUnavailable("swiftc is not on PATH") }
        let arguments = ["-emit-imported-modules"] + files.map(\.path) + ["-o", "-"]
        var outcome = try ToolRunner.run(swiftc, arguments, timeout: seconds)
        // Stopped by the clock, or killed by a signal from outside (the machine's OOM killer):
        // once more, with more time. A second signal is the compiler's own crash on this code.
        if outcome.timedOut || outcome.status > 128 { outcome = try ToolRunner.run(swiftc, arguments, timeout: seconds * 4) }
        if outcome.timedOut {
            throw GradingError.stalled(
                "the compiler's import listing was stopped after \(Int(seconds)) s and again after \(Int(seconds * 4)) s (it takes under a second on an idle machine)")
        }
        // Fail closed: a file the compiler cannot even list imports for is not built.
        guard outcome.status == 0 else { return ["(the compiler could not list this code's imports)"] }
        let listed = outcome.output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let permitted = implicit.union(allowed)
        return Array(Set(listed.filter { !$0.isEmpty && !$0.contains(" ") && !permitted.contains($0) })).sorted()
    }
}
