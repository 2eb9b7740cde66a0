import Foundation

/// Where the course material lives: the Turnstile checkout with `Assignments/`, `Templates/`,
/// `Solutions/`, `grading/` and the runtime sources that every workspace compiles.
public struct CourseLayout: Sendable {
    /// The checkout's root directory.
    public var root: URL

    /// Uses `root` as the course checkout.
    public init(root: URL) {
        self.root = root
    }

    /// Finds the checkout: `$TURNSTILE_HOME` if set, else the checkout this tool was built from.
    /// - Throws: ``GradingError/courseNotFound(_:)`` if neither holds `Assignments/`.
    public static func locate() throws -> CourseLayout {
        if let home = ProcessInfo.processInfo.environment["TURNSTILE_HOME"], !home.isEmpty {
            let layout = CourseLayout(root: URL(fileURLWithPath: home))
            guard layout.isValid else { throw GradingError.courseNotFound(home) }
            return layout
        }
        // This file is Sources/Grading/Course/CourseLayout.swift inside the checkout.
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let layout = CourseLayout(root: built)
        guard layout.isValid else { throw GradingError.courseNotFound(built.path) }
        return layout
    }

    var isValid: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("Assignments").path)
            && FileManager.default.fileExists(atPath: runtimeSources.path)
    }

    /// `Assignments/`.
    public var assignments: URL { root.appendingPathComponent("Assignments") }
    /// `Sources/`, holding the runtime and CheckKit that workspaces compile.
    public var runtimeSources: URL { root.appendingPathComponent("Sources") }

    /// The modules copied into every workspace and scaffold, in dependency order.
    public static let vendoredModules = ["CTurnstileContext", "TurnstileRuntime", "CheckKit"]
    /// Also copied for a process assignment: the peer's probes and the role handover, which
    /// both the peer and the program's grader-owned `main` use.
    public static let processModules = ["PeerKit"]

    /// The course modules a process assignment may vendor besides the runtime (its
    /// ``AssignmentManifest/programModules`` and ``AssignmentManifest/peerModules``), each with
    /// the modules it depends on; they depend on nothing outside the toolchain.
    public static let libraryModules: [String: [String]] = ["CPosixIPC": [], "ProcessIPC": ["CPosixIPC"]]

    /// The modules a workspace (`includeHidden`) or scaffold of `manifest` vendors, in
    /// dependency order: the runtime, then for a process assignment PeerKit, the program's
    /// modules, and only with `includeHidden` the modules of the hidden checks' peer.
    public static func vendoredModules(for manifest: AssignmentManifest, includeHidden: Bool) -> [String] {
        guard manifest.isProcess else { return vendoredModules }
        var modules = vendoredModules + processModules
        for module in (manifest.programModules ?? []) + (includeHidden ? manifest.peerModules ?? [] : []) {
            for needed in (libraryModules[module] ?? []) + [module] where !modules.contains(needed) { modules.append(needed) }
        }
        return modules
    }

    /// A path inside the checkout.
    public func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
