import Foundation
import Testing
@testable import Grading

/// Build errors a student sees name their own file and line, never the grader's hidden checks.
@Suite struct DiagnosticsTests {
    @Test func hiddenCheckErrorsAreNeverShownAndStudentErrorsAre() {
        let workspace = URL(fileURLWithPath: "/cache/workspaces/producer-consumer")
        let output = """
            /cache/workspaces/producer-consumer/Sources/ProducerConsumer/BoundedBuffer.swift:12:5: error: cannot find 'lok' in scope
            /cache/workspaces/producer-consumer/Checks/Hidden/HiddenChecks.swift:40:17: error: secret expectation [0, 1, 2] failed
              |  let expected = [0, 1, 2]
            """
        let shown = GradingWorkspace.trimDiagnostics(output, directory: workspace)
        #expect(shown.contains("Sources/ProducerConsumer/BoundedBuffer.swift:12:5: error: cannot find 'lok' in scope"))
        #expect(!shown.contains("Hidden"))
        #expect(!shown.contains("secret"))
        #expect(!shown.contains("/cache/"), "workspace paths are shortened")
        #expect(shown.contains("the grader's own checks failed to compile"))
    }

    @Test func aLinkerLineNamingAChecksObjectIsNotShown() {
        let workspace = URL(fileURLWithPath: "/cache/workspaces/producer-consumer")
        let output = """
            ld.lld: error: undefined symbol: secretHelper(expected:)
            >>> referenced by HiddenChecks.swift:40
            >>>               /cache/workspaces/producer-consumer/.build/x86_64-unknown-linux-gnu/debug/checks.build/HiddenChecks.swift.o:(checks_main)
            """
        let shown = GradingWorkspace.trimDiagnostics(output, directory: workspace)
        #expect(shown.contains("undefined symbol"))
        #expect(!shown.contains("HiddenChecks") && !shown.contains("checks.build"), "\(shown)")
    }
}
