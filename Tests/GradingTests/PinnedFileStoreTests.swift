import Foundation
import Testing
@testable import Grading

/// Kept files are content-addressed and checked again when read back.
@Suite struct PinnedFileStoreTests {
    @Test func keptFilesComeBackAndAnAlteredOneIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pinned-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = PinnedFileStore(gradebookPath: root.appendingPathComponent("course.sqlite").path)
        let hash = try store.keep(Data("final class A {}\n".utf8))
        #expect(try store.keep(Data("final class A {}\n".utf8)) == hash, "the same content, the same name")
        let out = root.appendingPathComponent("out")
        #expect(try store.restore(["Sources/M/A.swift": hash], into: out))
        #expect(try String(contentsOf: out.appendingPathComponent("Sources/M/A.swift"), encoding: .utf8) == "final class A {}\n")
        try Data("tampered".utf8).write(to: store.directory.appendingPathComponent(hash))
        #expect(try !store.restore(["Sources/M/A.swift": hash], into: root.appendingPathComponent("again")))
        #expect(try !store.restore([:], into: out), "nothing kept is not a restore")
    }
}
