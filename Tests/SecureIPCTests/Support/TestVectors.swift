import Foundation
@testable import SecureIPC
import Testing

/// Locates swift-crypto's test vectors (Project Wycheproof JSON, RFC 5869 text) in the
/// resolved checkout, without copying them into this repository.
///
/// Looks at `TURNSTILE_CRYPTO_VECTORS` first, then `<package root>/.build*/checkouts/swift-crypto/
/// Tests/Test Vectors` for any scratch path. Missing vectors fail the test with instructions.
enum TestVectors {
    static func directory() -> URL? {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["TURNSTILE_CRYPTO_VECTORS"] {
            return URL(fileURLWithPath: path)
        }
        let root = PackagePaths.root()
        let entries = (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(".build") {
            let candidate = root.appendingPathComponent(entry)
                .appendingPathComponent("checkouts/swift-crypto/Tests/Test Vectors")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("x25519_test.json").path) {
                return candidate
            }
        }
        return nil
    }

    /// Reads one vector file, recording a failure that says how to provide it when absent.
    static func load(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Data? {
        guard let directory = directory() else {
            Issue.record(
                "swift-crypto test vectors not found: build the package once (swift build) so .build*/checkouts/swift-crypto exists, or set TURNSTILE_CRYPTO_VECTORS to its 'Tests/Test Vectors' directory",
                sourceLocation: sourceLocation)
            return nil
        }
        let url = directory.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else {
            Issue.record("cannot read test vector file \(url.path)", sourceLocation: sourceLocation)
            return nil
        }
        return data
    }

    static func bytes(_ hex: String) -> [UInt8] {
        guard let bytes = Hex.decode(hex) else { fatalError("bad hex in vector: \(hex)") }
        return bytes
    }
}
