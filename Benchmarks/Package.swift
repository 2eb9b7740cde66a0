// swift-tools-version: 6.0
// Benchmarks live apart from the main package so the main build stays lean.
// Run: swift run -c release --package-path Benchmarks turnstile-bench SUITE [--json] [--quick]
import PackageDescription

let package = Package(
    name: "TurnstileBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Turnstile", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "turnstile-bench",
            dependencies: [
                .product(name: "TurnstileRuntime", package: "Turnstile"),
                .product(name: "CheckKit", package: "Turnstile"),
                .product(name: "SyncPrimitives", package: "Turnstile"),
                .product(name: "ClassicProblems", package: "Turnstile"),
                .product(name: "ProcessIPC", package: "Turnstile"),
                .product(name: "SecureIPC", package: "Turnstile"),
            ])
    ]
)
