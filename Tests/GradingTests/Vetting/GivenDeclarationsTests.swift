import Foundation
import Grading
import Testing

/// Given declarations in student files (the shared-memory-threats mapping and sealer): a
/// submission may re-indent and comment them, and is refused if it changes a token — the attack
/// a red team used to hide rollbacks from its own region by rewriting the mapping's `load`.
@Suite struct GivenDeclarationsTests {
    let layout: CourseLayout
    let manifest: AssignmentManifest
    let vetting: SubmissionVetting

    init() throws {
        layout = try CourseLayout.locate()
        manifest = try AssignmentCatalog(layout: layout).manifest("shared-memory-threats")
        vetting = try SubmissionVetting(manifest: manifest, layout: layout)
    }

    /// The solution's files with `edit` applied to the region's file, vetted as a submission.
    func problems(_ edit: (String) -> String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("given-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in manifest.studentFiles {
            var text = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)
            if file.hasSuffix("EncryptedRegion.swift") { text = edit(text) }
            let url = directory.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return try vetting.problems(in: directory)
    }

    @Test func theSolutionAndARestyledCopyPass() throws {
        #expect(try problems { $0 }.isEmpty)
        let restyled = try problems {
            $0.replacingOccurrences(of: "    public func load(at offset: Int, count length: Int) -> [UInt8] { loadBytes(offset, length) }",
                                    with: "    // Reads bytes.\n    public func load(at offset: Int, count length: Int) -> [UInt8] {\n        loadBytes(offset, length)\n    }")
        }
        #expect(restyled.isEmpty, "\(restyled)")
    }

    @Test func aRewrittenGivenBodyIsRefused() throws {
        let found = try problems {
            $0.replacingOccurrences(of: "    public func load(at offset: Int, count length: Int) -> [UInt8] { loadBytes(offset, length) }",
                                    with: "    public func load(at offset: Int, count length: Int) -> [UInt8] { Array(loadBytes(offset, length).reversed().reversed()) }")
        }
        #expect(found.contains { $0.contains("SharedBytes is given by the template and must not change") }, "\(found)")
    }

    @Test func aMissingOrDoubledGivenTypeIsRefused() throws {
        let start = "/// Why a region refused.\npublic enum RegionError"
        let missing = try problems { text in
            guard let range = text.range(of: start), let end = text.range(of: "\n}\n", range: range.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: range.lowerBound..<end.upperBound, with: "public enum RegionError: Error, Hashable, Sendable { case regionTooSmall, noSuchSlot, tooLarge, tampered(slot: Int), rolledBack(slot: Int) }\n")
        }
        #expect(missing.contains { $0.contains("RegionError is given by the template and must not change") }, "\(missing)")
    }
}
