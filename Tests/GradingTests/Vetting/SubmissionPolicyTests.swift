import Foundation
import Testing
@testable import Grading

/// The vetting on the syntax tree: every bypass of the old line-by-line reader, and the public
/// surface rule that keeps a student's names out of the checks.
@Suite struct SubmissionPolicyTests {
    let policy = SubmissionPolicy(allowedImports: ["TurnstileRuntime"])

    func reasons(_ source: String, _ policy: SubmissionPolicy? = nil) -> [String] {
        (policy ?? self.policy).violations(in: source, file: "A.swift").map(\.reason)
    }

    @Test func plainRuntimeCodeAndCommentsPass() {
        #expect(reasons("import TurnstileRuntime\nfinal class A { private var _count = 0 }\n").isEmpty)
        #expect(reasons("// import Glibc is mentioned in a comment\n/* import Foundation */\n").isEmpty)
        #expect(reasons("let s = \"import Glibc\"\n").isEmpty)
    }

    /// Each of these got `import Glibc` past the line-based reader.
    @Test(arguments: [
        "import/**/Glibc\n",
        "import\nGlibc\n",
        "// a comment\rimport Glibc\n",
        "import\u{0B}Glibc\n",
        "typealias Z = Int; import Glibc\n",
        "#if false\nimport Glibc\n#endif\n",
        "#if canImport(Glibc)\nimport Glibc\n#endif\n",
        "import struct Glibc.timespec\n",
        "internal import Foundation\n",
        "import Foundation.NSData\n",
    ])
    func everyFormOfAForbiddenImportIsFound(source: String) {
        #expect(reasons(source).contains { $0.contains("is not allowed") || $0.contains("does not parse") }, "\(source.debugDescription)")
    }

    @Test(arguments: [
        "@testable import TurnstileRuntime\n",
        "@_spi(Engine) import TurnstileRuntime\n",
        "@_exported import TurnstileRuntime\n",
        "@_implementationOnly import TurnstileRuntime\n",
    ])
    func attributesOnImportsAreRefused(source: String) {
        #expect(!reasons(source).isEmpty, "\(source)")
    }

    @Test(arguments: [
        ("let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)\n", "unsafe"),
        ("func f(_ a: [Int]) { a.withUnsafeBytes { _ in } }\n", "unsafe"),
        ("let x = unsafeBitCast(1, to: UInt.self)\n", "unsafe"),
        ("final class A { unowned(unsafe) let b: A; init(b: A) { self.b = b } }\n", "unsafe"),
        ("nonisolated(unsafe) var counter = 0\n", "unsafe"),
        ("let u = Unmanaged.passUnretained(A())\nfinal class A {}\n", "Unmanaged"),
        ("let args = CommandLine.arguments\n", "CommandLine"),
        ("let line = readLine()\n", "readLine"),
        ("@_silgen_name(\"write\") func w()\n", "@_silgen_name"),
        ("@_cdecl(\"f\") func f() {}\n", "@_cdecl"),
        ("@_dynamicReplacement(for: f) func g() {}\n", "@_dynamicReplacement"),
        ("@exclusivity(unchecked) var shared = 0\n", "@exclusivity"),
        ("#sourceLocation(file: \"PublicChecks.swift\", line: 1)\nlet a = 1\n#sourceLocation()\n", "#sourceLocation"),
        ("let n = _getRetainCount(A())\nfinal class A {}\n", "underscore"),
        ("let d = #dsohandle\n", "#dsohandle"),
        ("let engine = Runtime.isControlled\n", "isControlled"),
        ("func f() { let s = 1; noteAccess(serial: s, isWrite: true) }\n", "noteAccess"),
        ("let skip = abandonExecution\n", "abandonExecution"),
        ("func lockRead() { Runtime.awaitQuiescence() }\n", "awaitQuiescence"),
        ("let c = ContinuousClock.now\n", "ContinuousClock"),
        ("func f() { Task { } }\n", "Task"),
        ("extension Int: @retroactive Identifiable { public var id: Int { self } }\n", "retroactive"),
    ])
    func unsafeAndEngineReachingCodeIsRefused(source: String, expected: String) {
        let found = reasons(source)
        #expect(found.contains { $0.contains(expected) }, "\(source) → \(found)")
    }

    @Test func underscoreNamesTheFileDeclaresAreFine() {
        let source = "final class A {\n  private let _lock = 1\n  func f(_ _x: Int) -> Int { _x + _lock }\n}\n"
        #expect(reasons(source).isEmpty)
    }

    @Test func conformancesOnlyOnTheFilesOwnTypes() {
        #expect(!reasons("extension Array: CustomDebugStringConvertible {}\n").isEmpty)
        #expect(reasons("final class A {}\nextension A: CustomStringConvertible { var description: String { \"a\" } }\n").isEmpty)
        #expect(reasons("extension Array { func second() -> Element? { dropFirst().first } }\n").isEmpty)
    }

    @Test func aFileThatDoesNotParseIsRefusedWithItsLine() throws {
        let found = policy.violations(in: "import TurnstileRuntime\nfinal class A {\n  func f( {\n}\n", file: "A.swift")
        let first = try #require(found.first)
        #expect(first.reason.contains("does not parse"))
        #expect(first.line >= 3)
    }
}

/// The public-surface rule, on the real template of the producer-consumer assignment.
@Suite struct PublicSurfaceTests {
    let layout: CourseLayout
    let vetting: SubmissionVetting
    let solution: String

    init() throws {
        layout = try CourseLayout.locate()
        let manifest = try AssignmentCatalog(layout: layout).manifest("producer-consumer")
        vetting = try SubmissionVetting(manifest: manifest, layout: layout)
        solution = try String(
            contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(manifest.studentFiles[0]), encoding: .utf8)
    }

    func violations(adding extra: String) -> [String] {
        vetting.policy.violations(in: solution + "\n" + extra, file: "BoundedBuffer.swift").map(\.reason)
    }

    @Test func theTemplateSurfaceIsTheBufferAPI() throws {
        let template = try String(
            contentsOf: layout.path(vetting.manifest.templateDirectory).appendingPathComponent(vetting.manifest.studentFiles[0]),
            encoding: .utf8)
        let signatures = PublicSurface(source: template).signatures
        #expect(signatures.contains("class BoundedBuffer<Element>"))
        #expect(signatures.contains("BoundedBuffer.func put(_:Element)"))
        #expect(signatures.contains("BoundedBuffer.func get()->Element"))
        #expect(signatures.contains("BoundedBuffer.init(capacity:Int)"))
    }

    /// Each of these turned a wrong buffer into 100/100 by joining overload resolution in the checks.
    @Test(arguments: [
        "public func require(_ condition: Bool, _ message: String) {}",
        "public func == (lhs: [Int], rhs: [Int]) -> Bool { true }",
        "extension Array { public func reversedIfNeeded() -> [Element] { self } }",
        "public enum Runtime { public static func spawn(name: String, _ body: @escaping () -> Void) {} }",
        "public extension Array { func allSatisfyAlways() -> Bool { true } }",
        "infix operator <~>",
        "public struct Extra {}",
        "extension BoundedBuffer { public func put(_ item: Int) {} }",
        "package func helper() {}",
    ])
    func nothingBeyondTheTemplatesPublicAPIMayBePublic(extra: String) {
        let found = violations(adding: extra)
        #expect(found.contains { $0.contains("not part of the assignment's API") }, "\(extra) → \(found)")
    }

    @Test func theSolutionAndARewordedButEquivalentAPIPass() {
        #expect(violations(adding: "").isEmpty)
        let reworded = solution.replacingOccurrences(of: "public func put(_ item: Element)", with: "public func put(_ newItem : Element )")
            .replacingOccurrences(of: "item", with: "newItem")
        #expect(vetting.policy.violations(in: reworded, file: "BoundedBuffer.swift").isEmpty)
        #expect(violations(adding: "func helper() -> Int { 1 }\nprivate struct Node {}").isEmpty)
    }

    @Test func everyAssignmentsTemplateAndSolutionPassItsOwnVetting() throws {
        let catalog = AssignmentCatalog(layout: layout)
        for id in catalog.ids() {
            let manifest = try catalog.manifest(id)
            let vetting = try SubmissionVetting(manifest: manifest, layout: layout)
            for directory in [manifest.templateDirectory, manifest.solutionDirectory] {
                #expect(try vetting.problems(in: layout.path(directory)).isEmpty, "\(id) \(directory)")
            }
        }
    }

    @Test func theCompilersOwnImportListCatchesWhatItParses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("A.swift")
        try "import TurnstileRuntime\nimport/**/Glibc\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try CompilerImports.unexpected(in: [file], allowed: ["TurnstileRuntime"]) == ["Glibc"])
        try "import TurnstileRuntime\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try CompilerImports.unexpected(in: [file], allowed: ["TurnstileRuntime"]).isEmpty)
    }
}
