import Foundation
import Testing
@testable import Grading

/// The grader's build of student code runs inside the sandbox with memory and time limits: a
/// normal build succeeds and runs; code the type checker takes ages over is stopped and named.
@Suite(.serialized, .enabled("bubblewrap sandbox is not usable on this machine") { SandboxFixture.availability.isAvailable })
struct SandboxedBuildTests {
    /// Several expressions mixing literal kinds under overloaded `+`: each costs the solver seconds.
    static let typeCheckerBomb: String = {
        let term = (["1", "2.0", "[3][0]", "Int(4)", "5.5"] + ["1", "2.0", "[3][0]", "Int(4)", "5.5"]).joined(separator: " + ")
        return "import TurnstileRuntime\n" + (0..<6).map { "let slow\($0) = \(term) + \(term) + \(term)\n" }.joined()
    }()

    @Test func aBuildRunsInTheSandboxAndABombIsStoppedAsTooSlow() throws {
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        try SandboxFixture.withScratchDirectory { directory in
            // Outside /tmp (the sandbox's own /tmp is private), like the grader's cache.
            let root = URL(fileURLWithPath: "/var/tmp/turnstile-build-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
            try workspace.prepare()
            try workspace.install(submission: layout.path(manifest.solutionDirectory))
            let good = try workspace.buildInSandbox(Sandbox(), timeout: 300)
            #expect(good.succeeded, "\(good.diagnostics)")
            let executable = try #require(good.executable)
            let list = Process()
            list.executableURL = executable
            list.arguments = ["list"]
            let pipe = Pipe()
            list.standardOutput = pipe
            try list.run()
            list.waitUntilExit()
            #expect(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("no-lost-items"))

            let bomb = directory.appendingPathComponent("bomb")
            let file = bomb.appendingPathComponent(manifest.studentFiles[0])
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
            try (solution + "\n" + Self.typeCheckerBomb.replacingOccurrences(of: "import TurnstileRuntime\n", with: ""))
                .write(to: file, atomically: true, encoding: .utf8)
            try workspace.install(submission: bomb)
            let start = Date()
            let slow = try workspace.buildInSandbox(Sandbox(), timeout: 5)
            #expect(!slow.succeeded)
            #expect(slow.failure == .tooSlow(seconds: 5), "\(String(describing: slow.failure)): \(slow.diagnostics)")
            #expect(slow.diagnostics.hasPrefix("too slow to compile"))
            #expect(Date().timeIntervalSince(start) < 30)
        }
    }
}
