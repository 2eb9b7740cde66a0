import Foundation

/// The modules the Swift compiler itself says a set of files imports (`swiftc
/// -emit-imported-modules`), a second opinion on the syntax-tree vetting: if the compiler's
/// parser ever read an import the vetting missed, the submission is still refused.
public enum CompilerImports {
    /// Modules every Swift file imports implicitly.
    public static let implicit: Set<String> = ["Swift", "SwiftOnoneSupport", "_Concurrency", "_StringProcessing", "_SwiftConcurrencyShims"]

    /// The modules `files` import that are neither implicit nor in `allowed`.
    /// - Throws: ``GradingError/toolchainUnavailable(_:)`` when `swiftc` cannot run.
    /// Blocking: runs the compiler's parser once for all files (about half a second).
    public static func unexpected(in files: [URL], allowed: [String]) throws -> [String] {
        guard !files.isEmpty else { return [] }
        guard let swiftc = ToolRunner.which("swiftc") else { throw GradingError.toolchainUnavailable("swiftc is not on PATH") }
        let outcome = try ToolRunner.run(swiftc, ["-emit-imported-modules"] + files.map(\.path) + ["-o", "-"], timeout: 60)
        // Fail closed: a file the compiler cannot even list imports for is not built.
        guard outcome.status == 0, !outcome.timedOut else { return ["(the compiler could not list this code's imports)"] }
        let listed = outcome.output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let permitted = implicit.union(allowed)
        return Array(Set(listed.filter { !$0.isEmpty && !$0.contains(" ") && !permitted.contains($0) })).sorted()
    }
}
