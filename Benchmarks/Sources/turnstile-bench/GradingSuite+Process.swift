import Foundation
import Grading

/// A process assignment's cost per submission (message-passing, the reference solution), split
/// into its parts, each against a baseline measured in the same run with sides alternating:
/// - **build**: one incremental build of the student's module and the program's `main` in the
///   sandbox, against the same build on the host;
/// - **sandbox start**: starting and ending a program in the sandbox (allowlist mounts, a
///   cgroup), against the same program started directly;
/// - **checks**: every check of the assignment once — the program in its sandbox, the peer
///   beside it — against both run directly on the machine.
func processGradingCases(_ reporter: Reporter) throws {
    let layout = try CourseLayout.locate()
    let manifest = try AssignmentCatalog(layout: layout).manifest("message-passing")
    let root = URL(fileURLWithPath: "/var/tmp/turnstile-bench-process-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
    try workspace.prepare()
    try workspace.install(submission: layout.path(manifest.solutionDirectory))
    let first = try workspace.build()
    guard let peer = first.executable, let program = first.program else {
        FileHandle.standardError.write(Data("grading: the message-passing solution did not build: \(first.diagnostics)\n".utf8))
        return
    }
    let sandbox = Sandbox()
    let policy = CheckProcess.policy(for: manifest.limits)
    let rounds = reporter.options.quick ? 2 : 4

    // Build: the student's file changes each round; everything else is warm.
    let variant = root.appendingPathComponent("variant")
    let source = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
    var builds: [String: [Double]] = [:]
    for round in 0..<rounds {
        for inSandbox in [true, false] {
            let target = variant.appendingPathComponent(manifest.studentFiles[0])
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (source + "\n// round \(round) \(inSandbox)\n").write(to: target, atomically: true, encoding: .utf8)
            try workspace.install(submission: variant)
            builds[inSandbox ? "sandbox" : "host", default: []].append(try workspace.build(sandbox: inSandbox ? sandbox : nil).seconds)
        }
    }
    reporter.report(Measurement(
        suite: "grading", caseName: "process.build.incremental", metric: "seconds", value: median(builds["sandbox"] ?? []),
        baseline: "the same build outside the sandbox", baselineValue: median(builds["host"] ?? []), better: "lower"))

    // Sandbox start: a program that ends at once (/bin/true), in the sandbox and directly.
    var starts: [String: [Double]] = [:]
    let trivial = SandboxedCommand(executable: "/bin/true")
    for _ in 0..<(rounds * 5) {
        var start = Date()
        _ = try sandbox.run(trivial, policy: policy)
        starts["sandbox", default: []].append(Date().timeIntervalSince(start))
        start = Date()
        _ = try Sandbox.runUnsandboxed(trivial, policy: policy)
        starts["direct", default: []].append(Date().timeIntervalSince(start))
    }
    reporter.report(Measurement(
        suite: "grading", caseName: "process.sandbox-start", metric: "seconds", value: median(starts["sandbox"] ?? []),
        baseline: "the same program started directly", baselineValue: median(starts["direct"] ?? []), better: "lower"))

    // Checks: every check once per submission.
    let sides: [(String, CheckProcess)] = [
        ("sandbox", CheckProcess(isolation: .sandbox(sandbox, hiddenPaths: []), policy: policy)),
        ("direct", CheckProcess(isolation: .none, policy: policy)),
    ]
    var checks: [String: [Double]] = [:]
    for _ in 0..<rounds {
        for (name, process) in sides {
            let start = Date()
            for check in manifest.checks {
                let result = try process.run(checkID: check.id, executable: peer, counterpart: program)
                if result.verdict != .passed {
                    FileHandle.standardError.write(Data("grading: \(check.id) \(result.verdict) (\(name)): \(result.message)\n".utf8))
                }
            }
            checks[name, default: []].append(Date().timeIntervalSince(start))
        }
    }
    reporter.report(Measurement(
        suite: "grading", caseName: "process.checks.\(manifest.checks.count)-per-submission", metric: "seconds",
        value: median(checks["sandbox"] ?? []), baseline: "program and peer run directly", baselineValue: median(checks["direct"] ?? []),
        better: "lower", extra: ["rounds": rounds]))
}
