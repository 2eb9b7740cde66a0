// swift-tools-version: 6.0
// Turnstile: courseware and an auto-grader for an operating-systems unit on IPC,
// synchronization and secure communication. Layers (dependencies point down only):
//
//   turnstile (executable) → TurnstileCLI → Grading → Gradebook
//                                         ↘ CheckKit → TurnstileRuntime
//   Reference library: SecureIPC → ProcessIPC; ClassicProblems → SyncPrimitives → TurnstileRuntime
import PackageDescription

let package = Package(
    name: "Turnstile",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "turnstile", targets: ["turnstile"]),
        .library(name: "TurnstileRuntime", targets: ["TurnstileRuntime"]),
        .library(name: "CheckKit", targets: ["CheckKit"]),
        // For the Benchmarks package only: the bug corpus lives under Tests/.
        .library(name: "TurnstileBugCorpus", targets: ["TurnstileBugCorpus"]),
        .library(name: "SyncPrimitives", targets: ["SyncPrimitives"]),
        .library(name: "ClassicProblems", targets: ["ClassicProblems"]),
        .library(name: "ProcessIPC", targets: ["ProcessIPC"]),
        .library(name: "SecureIPC", targets: ["SecureIPC"]),
        .library(name: "Gradebook", targets: ["Gradebook"]),
        .library(name: "Grading", targets: ["Grading"]),
        .library(name: "TurnstileCLI", targets: ["TurnstileCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),  // the version student scaffolds name (ExternalPackage)
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // MARK: Runtime: the only synchronization vocabulary student code uses.
        // These two targets are also copied into every grading workspace, so they depend on
        // nothing outside the toolchain.
        .target(name: "CTurnstileContext"),
        .target(name: "TurnstileRuntime", dependencies: ["CTurnstileContext"]),
        .target(name: "CheckKit", dependencies: ["TurnstileRuntime"]),
        .target(name: "PeerKit"),

        // MARK: Reference library
        .target(name: "SyncPrimitives", dependencies: ["TurnstileRuntime"]),
        .target(name: "ClassicProblems", dependencies: ["SyncPrimitives", "TurnstileRuntime"]),
        .target(name: "CPosixIPC"),
        .target(name: "ProcessIPC", dependencies: ["CPosixIPC"]),
        // The tiny peer process ProcessIPC's two-process tests and demonstrations spawn.
        .executableTarget(name: "turnstile-ipc-peer", dependencies: ["ProcessIPC"]),
        .target(
            name: "SecureIPC",
            dependencies: ["ProcessIPC", .product(name: "Crypto", package: "swift-crypto")]),

        // MARK: Grader
        .target(name: "Gradebook", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "Plot", package: "Plot")]),
        .systemLibrary(
            name: "CGit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]),
        .target(
            name: "Grading",
            dependencies: [
                "CGit2", "Gradebook", "CheckKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ]),
        .target(
            name: "TurnstileCLI",
            dependencies: [
                "Grading", "Gradebook", "ProcessIPC", "SecureIPC", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "turnstile", dependencies: ["TurnstileCLI", "ProcessIPC"]),

        // MARK: Tests
        // Known concurrency bugs with their correct twins: the engine's regression corpus and the
        // explore benchmark's cases. Under Tests/ so it is never copied into a student's scaffold.
        .target(name: "TurnstileBugCorpus", dependencies: ["CheckKit", "TurnstileRuntime"], path: "Tests/BugCorpus"),
        .testTarget(name: "TurnstileRuntimeTests", dependencies: ["TurnstileRuntime", "CheckKit"]),
        .testTarget(name: "CheckKitTests", dependencies: ["CheckKit", "TurnstileRuntime", "TurnstileBugCorpus"]),
        .testTarget(
            name: "SyncPrimitivesTests", dependencies: ["SyncPrimitives", "CheckKit", "TurnstileRuntime"]),
        .testTarget(
            name: "ClassicProblemsTests",
            dependencies: ["ClassicProblems", "SyncPrimitives", "CheckKit", "TurnstileRuntime"]),
        .testTarget(name: "ProcessIPCTests", dependencies: ["ProcessIPC", "turnstile-ipc-peer"]),
        .testTarget(
            name: "SecureIPCTests", dependencies: ["SecureIPC", "ProcessIPC", "turnstile-ipc-peer"], exclude: ["Interop/noise_peer.py"]),
        .target(name: "TurnstileTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GradebookTests", dependencies: ["Gradebook", "TurnstileTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PeerKitTests", dependencies: ["PeerKit"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "Gradebook", "CheckKit", "TurnstileTestSupport"]),
        .testTarget(name: "TurnstileCLITests", dependencies: ["TurnstileCLI", "Grading", "Gradebook", "TurnstileTestSupport"]),
    ]
)
