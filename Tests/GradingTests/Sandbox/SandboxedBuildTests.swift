import Foundation
import Testing
import TurnstileTestSupport
@testable import Grading

/// The grader's build of student code runs inside the sandbox with memory and time limits: a
/// normal build succeeds and runs; code the type checker takes ages over is stopped and named.
@Suite(.serialized, .enabled("bubblewrap sandbox is not usable on this machine") { SandboxFixture.availability.isAvailable })
struct SandboxedBuildTests {
    /// Several expressions mixing literal kinds under overloaded `+`: each costs the solver seconds.
    static let typeCheckerBomb = "import TurnstileRuntime\n" + TypeCheckerBomb.declarations

    @Test func aBuildRunsInTheSandboxAndABombIsStoppedAsTooSlow() throws {
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        try SandboxFixture.withScratchDirectory { directory in
            // Outside /tmp (the sandbox's own /tmp is private), like the grader's cache.
            let root = URL(fileURLWithPath: "/var/tmp/turnstile-build-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
            try workspace.prepare()
            // The warm-up builds with `swift build` and saves the direct plan every later build runs.
            try workspace.warmUp(sandbox: Sandbox())
            #expect(workspace.directBuildPlan() != nil, "the warm-up saved a direct build plan")
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

            try Self.eachDirectBuildIsTheSubmissionJustInstalled(workspace, manifest: manifest, layout: layout, scratch: directory)

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

            // The bomb is charged only on the CPU work the build's cgroup measured (a whole
            // limit's worth, in the first build or the confirming one at twice the limit),
            // never on the wall clock alone.
            var quick = manifest
            quick.limits.buildSeconds = 3
            let confirming = GradingWorkspace(layout: layout, manifest: quick, directory: root.appendingPathComponent("ws"))
            let stopped = try confirming.build(sandbox: Sandbox(), confirmingStalls: true)
            let cpu = try #require(stopped.cpuSeconds, "the build's cgroup measured the compiler's CPU time")
            #expect(cpu > 0)
            switch stopped.failure {
            case .tooSlow(let seconds): #expect(seconds == 3 && cpu >= 3, "charged at a \(seconds) s limit with \(cpu) s of CPU")
            case .stalled(3, 6): #expect(cpu < 3, "a starved machine: \(cpu) s of CPU")
            default: Issue.record("a bomb stopped twice is too slow or stalled, not \(String(describing: stopped.failure))")
            }
        }
    }

    /// On a warmed workspace: each build links the code installed just before it (a marker
    /// string of each submission is in its executable, the previous one's is not), a compile
    /// error is the student's with their file and line and leaves no executable behind, and
    /// `prepare()` drops the plan.
    static func eachDirectBuildIsTheSubmissionJustInstalled(
        _ workspace: GradingWorkspace, manifest: AssignmentManifest, layout: CourseLayout, scratch: URL
    ) throws {
        let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
        func submission(_ name: String, appending text: String) throws -> URL {
            let root = scratch.appendingPathComponent(name)
            for file in manifest.studentFiles {
                let target = root.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: layout.path(manifest.solutionDirectory).appendingPathComponent(file), to: target)
            }
            try (solution + "\n" + text).write(to: root.appendingPathComponent(manifest.studentFiles[0]), atomically: true, encoding: .utf8)
            return root
        }
        var previous: String?
        for round in 0..<2 {
            let marker = "direct-build-marker-\(UUID().uuidString)"
            try workspace.install(submission: submission("marker-\(round)", appending: "public let turnstileTestMarker = \"\(marker)\"\n"))
            let built = try workspace.buildInSandbox(Sandbox(), timeout: 300)
            #expect(built.succeeded, "\(built.diagnostics)")
            let bytes = try Data(contentsOf: try #require(built.executable))
            #expect(bytes.range(of: Data(marker.utf8)) != nil, "the executable holds this submission's code")
            if let previous { #expect(bytes.range(of: Data(previous.utf8)) == nil, "and not the previous submission's") }
            previous = marker
        }
        try workspace.install(submission: submission("broken", appending: "let broken: Int = \"not a number\"\n"))
        let broken = try workspace.buildInSandbox(Sandbox(), timeout: 300)
        #expect(!broken.succeeded && broken.failure == .compileErrors)
        let line = solution.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        #expect(broken.diagnostics.contains("\(manifest.studentFiles[0]):\(line):"), "\(broken.diagnostics)")
        #expect(broken.diagnostics.contains("error:") && !broken.diagnostics.contains("{\"kind\""), "plain compiler errors: \(broken.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent(".build/debug/checks").path), "no executable is left from an earlier build")
        try workspace.prepare()
        #expect(workspace.directBuildPlan() == nil, "preparing the workspace again drops the plan")
        try workspace.warmUp(sandbox: Sandbox())
    }

    /// An assignment with an external package (swift-crypto): the student's scaffold names it by
    /// URL at the exact version; the grader's workspace vendors the checkout turnstile was built
    /// with (and swift-asn1 beside it) and builds it in the sandbox, without a network, so a
    /// student file that imports `Crypto` compiles there.
    @Test func anExternalPackageIsVendoredAndBuildsInTheSandbox() throws {
        let layout = try CourseLayout.locate()
        var manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        manifest.packages = [.swiftCrypto]
        manifest.allowedImports.append("Crypto")
        let root = URL(fileURLWithPath: "/var/tmp/turnstile-vendor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }

        let scaffold = PackageLayout(layout: layout, manifest: manifest, directory: root.appendingPathComponent("scaffold"), includeHidden: false)
        #expect(scaffold.packageManifest().contains(#".package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2")"#))
        #expect(scaffold.packageManifest().contains(#".product(name: "Crypto", package: "swift-crypto")"#))

        let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
        try workspace.prepare()
        let directory = root.appendingPathComponent("ws")
        let packageText = try String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(packageText.contains(#".package(path: "Vendor/swift-crypto")"#))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("Vendor/swift-asn1/Package.swift").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("Vendor/swift-crypto/.git").path))

        let submission = root.appendingPathComponent("submission")
        let file = submission.appendingPathComponent(manifest.studentFiles[0])
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
        try ("import Crypto\n" + solution + "\nlet cryptoProbe = SHA256.hash(data: [UInt8]([1, 2, 3]))\n").write(to: file, atomically: true, encoding: .utf8)
        try workspace.install(submission: submission)
        let built = try workspace.buildInSandbox(Sandbox(), timeout: 900)
        #expect(built.succeeded, "\(built.diagnostics)")

        // swift-crypto imports Foundation; its String file I/O must not leak into a student file
        // that never imported Foundation (the student's code runs in the checks' process).
        try ("import Crypto\n" + solution + "\nlet leaked = try? String(contentsOfFile: \"/proc/self/cmdline\", encoding: .utf8)\n")
            .write(to: file, atomically: true, encoding: .utf8)
        try workspace.install(submission: submission)
        let leaking = try workspace.buildInSandbox(Sandbox(), timeout: 900)
        #expect(!leaking.succeeded)
        #expect(leaking.diagnostics.contains("missing import of defining module"), "\(leaking.diagnostics)")
    }
}
