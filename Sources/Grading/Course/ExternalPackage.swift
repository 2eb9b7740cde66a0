import Foundation

/// A package from outside the course that an assignment's student code and checks may import
/// (``AssignmentManifest/packages``): today only swift-crypto, for the secure-channel work.
///
/// In a student's scaffold it is an ordinary dependency, by URL at an exact version. The grader's
/// workspaces build without a network, in the sandbox, so there it is *vendored*: the sources of
/// the checkout turnstile itself was built with (the same version, so the grader's reference and
/// the student's code use the same library) are copied into the workspace under `Vendor/` and
/// named by path, with the packages its manifest needs beside it. A cold workspace build then
/// compiles it once (about a minute for swift-crypto on two cores, measured: 57 s wall, 106 s
/// CPU, debug); later builds of the same workspace are incremental.
public enum ExternalPackage: String, Codable, Sendable, Equatable, CaseIterable {
    /// Apple's swift-crypto: the `Crypto` module (Curve25519, ChaChaPoly, SHA-2, HKDF, HMAC).
    case swiftCrypto = "swift-crypto"

    /// The package's identity (its directory name under `.build/checkouts`).
    public var name: String { rawValue }
    /// Where a student's scaffold fetches it from.
    public var url: String {
        switch self {
        case .swiftCrypto: "https://github.com/apple/swift-crypto"
        }
    }
    /// The exact version: the one turnstile's own `Package.swift` resolves, so a student builds
    /// against what the grader builds against.
    public var version: String {
        switch self {
        case .swiftCrypto: "4.5.2"
        }
    }
    /// The library products student code and checks may use.
    public var products: [String] {
        switch self {
        case .swiftCrypto: ["Crypto"]
        }
    }
    /// Packages its manifest takes from sibling directories when ``localDependenciesVariable``
    /// is set (swift-crypto's own switch), vendored beside it.
    var siblings: [String] {
        switch self {
        case .swiftCrypto: ["swift-asn1"]
        }
    }

    /// The environment variable with which swift-crypto's manifest names its dependencies by
    /// sibling path instead of URL; the grader's builds set it.
    static let localDependenciesVariable = "SWIFTCI_USE_LOCAL_DEPS"

    /// The directory holding the checkouts to vendor: `$TURNSTILE_PACKAGES` if set, else the
    /// course checkout's `.build/checkouts` (there once turnstile has been built in it).
    static func checkouts(in layout: CourseLayout) -> URL {
        if let directory = ProcessInfo.processInfo.environment["TURNSTILE_PACKAGES"], !directory.isEmpty {
            return URL(fileURLWithPath: directory)
        }
        return layout.root.appendingPathComponent(".build/checkouts")
    }
}
