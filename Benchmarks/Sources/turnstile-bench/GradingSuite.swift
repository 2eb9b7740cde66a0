import Foundation
import Grading

/// What the grader's isolation costs per submission, against the floor measured in the same run:
/// the same checks binary (the producer-consumer solution), every check of the assignment run
/// once per submission, in the sandbox (allowlist mounts + a cgroup per check) and directly on
/// the machine; the sandbox without its cgroup as a second baseline; and one incremental build
/// of the student's module inside the sandbox against the same build outside it. Sides alternate
/// so drift hits both; medians are reported.
func gradingSuite(_ reporter: Reporter) {
    reporter.header("grading", metric: "seconds per submission")
    guard Sandbox.probe().isAvailable else {
        FileHandle.standardError.write(Data("grading: the sandbox is not available here; nothing measured\n".utf8))
        return
    }
    do {
        let layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        let root = URL(fileURLWithPath: "/var/tmp/turnstile-bench-grading-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = GradingWorkspace(layout: layout, manifest: manifest, directory: root.appendingPathComponent("ws"))
        try workspace.prepare()
        try workspace.install(submission: layout.path(manifest.solutionDirectory))
        guard let executable = try workspace.build().executable else {
            FileHandle.standardError.write(Data("grading: the solution did not build\n".utf8))
            return
        }
        let policy = CheckProcess.policy(for: manifest.limits)
        var noCgroup = policy
        noCgroup.useCgroup = false
        let sandbox = Sandbox()
        let sides: [(String, CheckProcess)] = [
            ("sandbox", CheckProcess(isolation: .sandbox(sandbox, hiddenPaths: []), policy: policy)),
            ("sandbox without cgroup", CheckProcess(isolation: .sandbox(sandbox, hiddenPaths: []), policy: noCgroup)),
            ("unsandboxed", CheckProcess(isolation: .none, policy: policy)),
        ]
        let checks = manifest.checks.map(\.id)
        var samples: [String: [Double]] = [:]
        let rounds = reporter.options.quick ? 2 : 5
        // Warm-up: every side once.
        for (_, process) in sides { _ = try process.run(checkID: checks[0], executable: executable) }
        for _ in 0..<rounds {
            for (name, process) in sides {
                let start = Date()
                for check in checks {
                    let result = try process.run(checkID: check, executable: executable)
                    if result.verdict != .passed {
                        FileHandle.standardError.write(Data("grading: \(check) \(result.verdict) under \(name): \(result.message)\n".utf8))
                    }
                }
                samples[name, default: []].append(Date().timeIntervalSince(start))
            }
        }
        let ours = median(samples["sandbox"] ?? [])
        for baseline in ["unsandboxed", "sandbox without cgroup"] {
            reporter.report(Measurement(
                suite: "grading", caseName: "checks.\(checks.count)-per-submission", metric: "seconds", value: ours,
                baseline: baseline, baselineValue: median(samples[baseline] ?? []), better: "lower",
                extra: ["rounds": rounds]))
        }

        // One incremental build per submission: the student file changes, everything else is warm.
        let file = root.appendingPathComponent("variant")
        var buildSamples: [String: [Double]] = [:]
        for round in 0..<(reporter.options.quick ? 2 : 4) {
            for inSandbox in [true, false] {
                let source = try String(
                    contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
                let target = file.appendingPathComponent(manifest.studentFiles[0])
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try (source + "\n// round \(round) \(inSandbox)\n").write(to: target, atomically: true, encoding: .utf8)
                try workspace.install(submission: file)
                let build = try workspace.build(sandbox: inSandbox ? sandbox : nil)
                buildSamples[inSandbox ? "sandbox" : "host", default: []].append(build.seconds)
            }
        }
        reporter.report(Measurement(
            suite: "grading", caseName: "build.incremental", metric: "seconds",
            value: median(buildSamples["sandbox"] ?? []), baseline: "the same build outside the sandbox",
            baselineValue: median(buildSamples["host"] ?? []), better: "lower"))

        try processGradingCases(reporter)
        batchGradingCases(reporter)
    } catch {
        FileHandle.standardError.write(Data("grading: \(error.localizedDescription)\n".utf8))
    }
}
