import Foundation

extension GradingWorkspace {
    /// The workspace's ``DirectBuildPlan``, when the warm-up saved one and it compiles exactly
    /// the student files now installed; nil means `swift build`.
    func directBuildPlan() -> DirectBuildPlan? {
        guard let plan = DirectBuildPlan.load(in: directory),
            plan.compilesExactly(filesUnder: directory.appendingPathComponent("Sources/\(manifest.module)"))
        else { return nil }
        return plan
    }

    /// Derives the ``DirectBuildPlan`` from the build plan the warm-up's `swift build` just
    /// wrote, and saves it; when the plan has not the shape the direct build needs, saves
    /// nothing and later builds use `swift build`. Links with the toolchain's `lld` where the
    /// toolchain ships it (faster than the system's default linker, same program).
    func saveDirectBuildPlan() throws {
        let linker = SandboxTools.swiftToolchainRoot.flatMap { root in
            FileManager.default.isExecutableFile(atPath: root + "/usr/bin/ld.lld") ? "lld" : nil
        }
        do {
            guard let plan = try DirectBuildPlan.derive(directory: directory, studentTargets: studentTargets, linker: linker) else { return }
            try plan.save(in: directory)
        } catch {
            throw GradingError.io("cannot save the direct build plan in \(directory.path) (\(error.localizedDescription)); remove \(directory.appendingPathComponent(".build").path) and grade again")
        }
    }

    /// Runs `plan` on the host (a grader run without a sandbox), with the wall limit.
    /// Blocking: returns when the last step ends or the limit stops it.
    func buildDirectlyOnHost(_ plan: DirectBuildPlan, timeout: TimeInterval) throws -> BuildResult {
        try plan.removeOutputs()
        let outcome = try ToolRunner.run("/bin/sh", ["-c", plan.script], in: directory, timeout: timeout)
        return Self.hostResult(outcome, directory: directory, product: package.checksBinaryName, withProgram: manifest.isProcess, timeout: timeout)
    }
}

extension DirectBuildPlan {
    /// Removes the executables the plan links, so nothing of an earlier build can pass for
    /// this one's.
    /// - Throws: ``GradingError/io(_:)`` when one cannot be removed.
    func removeOutputs() throws {
        for output in outputs where FileManager.default.fileExists(atPath: output) {
            do {
                try FileManager.default.removeItem(atPath: output)
            } catch {
                throw GradingError.io("cannot remove the previous build's \(output) (\(error.localizedDescription)); remove it and grade again")
            }
        }
    }
}
