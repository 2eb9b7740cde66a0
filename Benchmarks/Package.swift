// swift-tools-version: 6.0
// Benchmarks live apart from the main package so the main build stays lean.
// Run: swift run -c release --package-path Benchmarks turnstile-bench SUITE [--json] [--quick]
import PackageDescription

let package = Package(
    name: "TurnstileBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Turnstile", path: ".."),
        // The `secure` suite's baselines call swift-crypto directly (same version as the library).
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "turnstile-bench",
            dependencies: [
                .product(name: "TurnstileRuntime", package: "Turnstile"),
                .product(name: "CheckKit", package: "Turnstile"),
                .product(name: "TurnstileBugCorpus", package: "Turnstile"),
                .product(name: "Grading", package: "Turnstile"),
                .product(name: "SyncPrimitives", package: "Turnstile"),
                .product(name: "ClassicProblems", package: "Turnstile"),
                .product(name: "ProcessIPC", package: "Turnstile"),
                .product(name: "SecureIPC", package: "Turnstile"),
                .product(name: "Crypto", package: "swift-crypto"),
            ])
    ]
)
