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
