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
    /// A listing stopped by its wall-clock limit (`seconds`), or killed from outside (`SIGKILL`
    /// the grader did not send: the machine's OOM killer, an operator), runs once more at four
    /// times the limit; ended either way again, it is the machine's problem, not a verdict on
    /// the code. Only the compiler's own failure on the files (an error exit, or a crash signal
    /// such as `SIGSEGV`, `SIGABRT`, `SIGILL`, `SIGTRAP`) fails closed as a refusal, since a
    /// crash is reproducible and comes from the code.
    /// - Parameter compiler: The `swiftc` to run (tests give a stand-in); `nil`: the one on PATH.
    /// - Throws: ``GradingError/toolchainUnavailable(_:)`` when `swiftc` cannot run;
    ///   ``GradingError/stalled(_:)`` when both listings were stopped or killed from outside.
    /// Blocking: runs the compiler's parser once for all files (about half a second).
    public static func unexpected(in files: [URL], allowed: [String], seconds: TimeInterval = limitSeconds, compiler: String? = nil) throws -> [String] {
        guard !files.isEmpty else { return [] }
        guard let swiftc = compiler ?? ToolRunner.which("swiftc") else { throw GradingError.toolchainUnavailable("swiftc is not on PATH") }
        let arguments = ["-emit-imported-modules"] + files.map(\.path) + ["-o", "-"]
        // How a listing the machine ended (not the compiler) ended; nil when the compiler did.
        func stop(_ outcome: ToolRunner.Outcome, limit: TimeInterval) -> String? {
            if outcome.timedOut { return "stopped after \(Int(limit)) s" }
            return killedFromOutside(outcome) ? "killed from outside (signal \(outcome.status - 128))" : nil
        }
        var outcome = try ToolRunner.run(swiftc, arguments, timeout: seconds)
        if let first = stop(outcome, limit: seconds) {
            outcome = try ToolRunner.run(swiftc, arguments, timeout: seconds * 4)
            if let second = stop(outcome, limit: seconds * 4) {
                throw GradingError.stalled(
                    "the compiler's import listing was \(first) and again \(second) (it takes under a second on an idle machine)")
            }
        }
        // Fail closed: a file the compiler cannot even list imports for is not built.
        guard outcome.status == 0 else { return ["(the compiler could not list this code's imports)"] }
        let listed = outcome.output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let permitted = implicit.union(allowed)
        return Array(Set(listed.filter { !$0.isEmpty && !$0.contains(" ") && !permitted.contains($0) })).sorted()
    }

    /// Whether a listing ended by `SIGKILL` the grader did not send. The compiler never sends
    /// itself `SIGKILL`; its own crashes are other signals. (`SIGKILL` for passing the output
    /// limit is the grader's, and fails closed.)
    static func killedFromOutside(_ outcome: ToolRunner.Outcome) -> Bool {
        !outcome.timedOut && !outcome.outputLimited && outcome.status == 128 + SIGKILL
    }
}
