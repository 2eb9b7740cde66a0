import Foundation
import Gradebook

/// An assignment's manifest (`Assignments/<id>/assignment.json`): which files the student owns,
/// which checks are worth what, the limits, and the known-buggy variants.
public struct AssignmentManifest: Codable, Sendable, Equatable {
    /// One graded check.
    public struct CheckEntry: Codable, Sendable, Equatable {
        /// The check's name in the checks executable (`checks run <id>`); unique in the manifest.
        public var id: String
        /// Points awarded when the check passes (none otherwise); not negative. 0 makes the
        /// check unscored: its result is shown and flagged, never counted. Checks on real threads
        /// must be unscored (``AssignmentValidator/scoringProblem(check:engine:)``).
        public var points: Double
        /// `public` (students run it with `turnstile test`) or `hidden` (grader only).
        public var visibility: CheckVisibility
        /// This check's wall-clock safety limit in seconds, instead of the assignment's
        /// ``Limits/wallSeconds``; absent means the assignment's.
        public var wallSeconds: Int?
        /// For a peer check of a ``Kind/process`` assignment: how many instances of the
        /// student's program it drives, each in its own sandbox with its own bootstrap socket
        /// (2 for a covert channel between two of the student's processes); absent means 1.
        public var programs: Int?
    }

    /// Resource limits for each check's process and for the build.
    public struct Limits: Codable, Sendable, Equatable {
        /// CPU seconds (user + system) of one check run (``SandboxPolicy/cpuSeconds``).
        public var cpuSeconds: Int
        /// Address space of one check run, in MiB (``SandboxPolicy/memoryBytes``).
        public var memoryMiB: Int
        /// Wall-clock seconds of one check run before it is killed and judged timed out.
        public var wallSeconds: Int
        /// Largest file a check run may write, in MiB (``SandboxPolicy/fileSizeBytes``).
        public var fileSizeMiB: Int
        /// Processes and threads one check run may have at once (``SandboxPolicy/maxProcesses``).
        public var processes: Int
        /// Output kept from each of standard output and standard error of a check run, in KiB;
        /// a run that writes more is killed.
        public var outputKiB: Int
        /// Wall-clock seconds allowed for building a submission together with the checks.
        public var buildSeconds: Int
    }

    /// Late submissions: a commit after the deadline plus grace loses `penaltyPerDay` of the
    /// score per started day; beyond `maxDaysLate` days the grader takes the last commit at or
    /// before the deadline instead.
    public struct LatePolicy: Codable, Sendable, Equatable {
        /// Minutes after the deadline in which a commit is not late; days late still count from
        /// the deadline itself.
        public var graceMinutes: Int
        /// The fraction of the raw score lost per started day late (0.1 is 10 %); the penalty
        /// never exceeds the raw score.
        public var penaltyPerDay: Double
        /// Days after the deadline in which late commits are accepted when late work is allowed
        /// (``GradingOptions/allowLate``); 0 accepts none.
        public var maxDaysLate: Int
    }

    /// How an assignment's checks reach the student's code.
    public enum Kind: String, Codable, Sendable, Equatable {
        /// The student's types are compiled into the checks' process and run under the
        /// controlled engine (or on real threads); only the runtime's vocabulary is importable.
        case threads
        /// The student's code is a program of its own, started by a grader-owned `main` in its
        /// own sandbox; the grader's trusted peer, built from grader code alone, drives it
        /// through IPC objects and alone decides each verdict. The manifest's imports (such as
        /// `Glibc`) and unsafe code are allowed, since nothing in that process can reach a verdict.
        case process
    }

    /// The assignment's id, equal to its directory name under `Assignments/`.
    public var id: String
    /// How the checks reach the student's code; absent means ``Kind/threads``.
    public var kind: Kind?
    /// For a ``Kind/process`` assignment: the directory of the grader-owned `main` of the
    /// student's program (relative to the course checkout), which reads its role from the
    /// grader's peer and calls the student's code.
    public var program: String?
    /// For a ``Kind/process`` assignment: course modules (directories of `Sources/`) the
    /// student's module may import and is linked with, copied into the scaffold and every
    /// workspace, such as `CPosixIPC` for the futex calls Swift cannot make itself (`syscall` is
    /// variadic). They must hold nothing of the answer. Absent means none.
    public var programModules: [String]?
    /// For a ``Kind/process`` assignment: reference-library modules only the hidden checks use,
    /// such as `ProcessIPC` as the trusted other end of a shared-memory ring. They are copied
    /// into the grader's workspaces only, never into a student's project. Absent means none.
    public var peerModules: [String]?
    /// Packages from outside the course that the student's module and the checks may import,
    /// such as swift-crypto for `import Crypto` (also list the module in ``allowedImports``).
    /// Named by URL and exact version in a scaffold, vendored into the grader's workspaces.
    /// Absent means none.
    public var packages: [ExternalPackage]?
    /// The human-readable title shown in listings.
    public var title: String
    /// Changes whenever the checks change, so a regrade with new checks is told apart.
    public var checksVersion: String
    /// The Swift module the student's files form.
    public var module: String
    /// Paths, relative to the repository root, of the only files taken from a submission.
    public var studentFiles: [String]
    /// Modules a student file may import.
    public var allowedImports: [String]
    /// Identifiers a student file may not use on top of
    /// ``SubmissionPolicy/defaultForbiddenNames`` (for example `Lock` where only atomics are
    /// allowed); absent means none.
    public var forbiddenNames: [String]?
    /// Top-level types the template gives inside student files that a submission must keep
    /// token for token (``GivenDeclarations``): the vocabulary the adapter hands the student's
    /// code, such as the shared mapping's accessors. Comments and layout may change; nothing
    /// else. Absent means none.
    public var givenDeclarations: [String]?
    /// The directory of the public checks' sources, relative to the course checkout.
    public var publicChecks: String
    /// The directory of the hidden checks' sources, relative to the course checkout; compiled
    /// into the grader's workspaces, never into a student's project.
    public var hiddenChecks: String
    /// The directory of the contract module (`AssignmentContract`), relative to the course
    /// checkout: the protocols through which the checks call the student's code.
    /// Absent for a process assignment (its peer talks to a program, not to types).
    public var contract: String?
    /// The directory of the adapter module (`SubmissionAdapter`), relative to the course
    /// checkout: the grader's code that implements the contract with the student's types. It is
    /// the only module that imports the student's, and it imports it `internal`.
    /// Absent for a process assignment.
    public var adapter: String?
    /// The graded checks, run in this order; their points add up to ``maxScore``.
    public var checks: [CheckEntry]
    /// The resource limits of each check run and of the build.
    public var limits: Limits
    /// How commits after the deadline are accepted and penalised.
    public var latePolicy: LatePolicy
    /// The known-buggy variants, as edits of the solution (`grading/<id>/mutants.json`).
    public var mutantsFile: String
    /// Correct solutions written unlike the reference (another algorithm, another primitive),
    /// relative to the course checkout: one subdirectory each, holding the student files. Each
    /// must score full marks in validation, so the checks pass more than one right answer.
    /// Absent means none.
    public var alternativesDirectory: String?
    /// The reference solution's package directory, relative to the course checkout.
    public var solutionDirectory: String
    /// The starter package's directory, relative to the course checkout, copied into a new
    /// student project.
    public var templateDirectory: String

    /// The total points.
    public var maxScore: Double { checks.reduce(0) { $0 + $1.points } }

    /// Whether this is a ``Kind/process`` assignment.
    public var isProcess: Bool { kind == .process }

    /// Checks that problems a person can fix, returning them as sentences.
    func problems() -> [String] {
        var problems: [String] = []
        if studentFiles.isEmpty { problems.append("studentFiles is empty") }
        for file in studentFiles where file.hasPrefix("/") || file.split(separator: "/").contains("..") || !file.hasPrefix("Sources/\(module)/") {
            problems.append("student file \(file) must be a relative path under Sources/\(module)/")
        }
        let ids = checks.map(\.id)
        if Set(ids).count != ids.count { problems.append("check ids repeat") }
        if checks.contains(where: { $0.points < 0 }) { problems.append("points must not be negative") }
        for check in checks where check.programs != nil && (!isProcess || !(1...2).contains(check.programs!)) {
            problems.append("check \(check.id) has \"programs\": \(check.programs!); it is for process assignments only, 1 or 2")
        }
        if !isProcess && (contract == nil || adapter == nil) { problems.append("an assignment of kind threads needs \"contract\" and \"adapter\"") }
        if isProcess && program == nil { problems.append("a process assignment needs \"program\": the directory of its grader-owned main") }
        if !isProcess && program != nil { problems.append("\"program\" is only for assignments of kind process") }
        if !isProcess && (programModules != nil || peerModules != nil) {
            problems.append("\"programModules\" and \"peerModules\" are only for assignments of kind process")
        }
        for module in (programModules ?? []) + (peerModules ?? []) where !CourseLayout.libraryModules.keys.contains(module) {
            problems.append("module \(module) cannot be vendored; the modules a process assignment may name are \(CourseLayout.libraryModules.keys.sorted().joined(separator: ", "))")
        }
        if !checks.isEmpty && maxScore <= 0 { problems.append("no check carries points; give the controlled checks the assignment's points") }
        return problems
    }
}
