import Foundation
import Testing
@testable import Grading

/// The direct build plan is derived from the build plan SwiftPM writes: the student's targets
/// compiled whole, their objects swapped into the link, and nothing derived where the plan's
/// shape would let a stale object of another submission through.
@Suite struct DirectBuildPlanTests {
    /// A package directory with a `.build/debug.yaml` shaped like SwiftPM's, for a student module
    /// `Student`, an adapter built on it and a `checks` product linking both.
    struct FakePackage {
        let root: URL
        var build: String { root.path + "/.build/x86_64-unknown-linux-gnu/debug" }

        /// - Parameters:
        ///   - extraCommand: More plan text, given the build directory.
        ///   - listLines: The checks' object list, instead of the usual one.
        init(extraCommand: (String) -> String = { _ in "" }, listLines: [String]? = nil) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("direct-plan-\(UUID().uuidString)")
            let build = root.path + "/.build/x86_64-unknown-linux-gnu/debug"
            try FileManager.default.createDirectory(atPath: build + "/checks.product", withIntermediateDirectories: true)
            let lines = listLines ?? [
                "\(build)/Student.build/Student.swiftmodule.o", "\(build)/Student.build/A.swift.o", "\(build)/Student.build/B.swift.o",
                "\(build)/SubmissionAdapter.build/Adapter.swift.o", "\(build)/CheckKit.build/Check.swift.o",
            ]
            try (lines.joined(separator: "\n") + "\n").write(toFile: build + "/checks.product/Objects.LinkFileList", atomically: true, encoding: .utf8)
            func compile(_ target: String, sources: [String], reads: [String]) -> String {
                let inputs = sources + reads + ["\(build)/\(target).build/sources"]
                let args = [
                    "/opt/swift/usr/bin/swiftc", "-module-name", target, "-emit-dependencies", "-emit-module", "-emit-module-path",
                    "\(build)/Modules/\(target).swiftmodule", "-output-file-map", "\(build)/\(target).build/output-file-map.json",
                    "-parse-as-library", "-incremental", "-c", "@\(build)/\(target).build/sources", "-I", "\(build)/Modules",
                    "-enable-batch-mode", "-serialize-diagnostics", "-index-store-path", "\(build)/index/store", "-Onone", "-j2",
                    "-parseable-output", "-g",
                ]
                return """
                      "C.\(target)-x86_64-unknown-linux-gnu-debug.module":
                        tool: shell
                        inputs: \(Self.json(inputs))
                        outputs: []
                        description: "Compiling Swift Module '\(target)' (\(sources.count) sources)"
                        args: \(Self.json(args))

                    """
            }
            let plan = """
                client:
                  name: basic
                tools: {}
                targets:
                  "main": ["<checks-x86_64-unknown-linux-gnu-debug.exe>"]
                commands:
                  "<Student-x86_64-unknown-linux-gnu-debug.module>":
                    tool: phony
                    inputs: \(Self.json(["\(build)/Modules/Student.swiftmodule"]))
                    outputs: ["<Student-x86_64-unknown-linux-gnu-debug.module>"]

                \(compile("Student", sources: [root.path + "/Sources/Student/A.swift", root.path + "/Sources/Student/B.swift"], reads: []))\
                \(compile("SubmissionAdapter", sources: [root.path + "/Adapter/Adapter.swift"], reads: ["\(build)/Modules/Student.swiftmodule"]))\
                \(extraCommand(build))\
                  "C.checks-x86_64-unknown-linux-gnu-debug.exe":
                    tool: shell
                    inputs: []
                    outputs: \(Self.json(["\(build)/checks"]))
                    description: "Linking checks"
                    args: \(Self.json(["/opt/swift/usr/bin/swiftc", "-L", build, "-o", "\(build)/checks", "-emit-executable", "@\(build)/checks.product/Objects.LinkFileList", "-g"]))

                  "PackageStructure":
                    tool: package-structure-tool
                    inputs: ["\(root.path)/Package.swift"]
                    outputs: ["<PackageStructure>"]

                """
            try plan.write(toFile: root.path + "/.build/debug.yaml", atomically: true, encoding: .utf8)
        }

        static func json(_ list: [String]) -> String {
            String(decoding: try! JSONEncoder().encode(list), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
        }
    }

    @Test func thePlanCompilesTheStudentTargetsWholeAndSwapsTheirObjectsIntoTheLink() throws {
        let package = try FakePackage()
        defer { try? FileManager.default.removeItem(at: package.root) }
        let plan = try #require(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"], linker: "lld"))
        #expect(plan.steps.count == 3)
        #expect(plan.studentSources == [package.root.path + "/Sources/Student/A.swift", package.root.path + "/Sources/Student/B.swift"])
        #expect(plan.outputs == ["\(package.build)/checks"])
        let student = plan.steps[0]
        #expect(Array(student.suffix(5)) == ["-wmo", "-o", "\(package.build)/Student.build/Student.wmo.o"] + plan.studentSources)
        for dropped in ["-incremental", "-enable-batch-mode", "-parseable-output", "-index-store-path", "-output-file-map", "-serialize-diagnostics", "-emit-dependencies"] {
            #expect(!student.contains(dropped), "\(dropped) is left out")
        }
        #expect(!student.contains { $0.hasPrefix("@") })
        #expect(student.contains("-emit-module-path") && student.contains("-g") && student.contains("-j2"))
        #expect(plan.steps[1].suffix(4) == ["-wmo", "-o", "\(package.build)/SubmissionAdapter.build/SubmissionAdapter.wmo.o", package.root.path + "/Adapter/Adapter.swift"])
        let link = plan.steps[2]
        #expect(link.last == "-use-ld=lld")
        let list = try #require(link.first { $0.hasPrefix("@") }).dropFirst()
        #expect(list.hasSuffix("/Objects.direct.LinkFileList"))
        let objects = try String(contentsOfFile: String(list), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(objects.sorted() == [
            "\(package.build)/CheckKit.build/Check.swift.o", "\(package.build)/Student.build/Student.wmo.o",
            "\(package.build)/SubmissionAdapter.build/SubmissionAdapter.wmo.o",
        ])
    }

    @Test func aPlanWhereAnotherTargetReadsTheStudentModuleIsNotDerived() throws {
        // Another module compiled against the student's interface would keep the warm-up's
        // objects, built on the solution: no direct plan then.
        let package = try FakePackage { build in
            """
              "C.Other-x86_64-unknown-linux-gnu-debug.module":
                tool: shell
                inputs: \(FakePackage.json(["\(build)/Modules/Student.swiftmodule"]))
                outputs: []
                args: ["/opt/swift/usr/bin/swiftc", "-module-name", "Other"]

            """
        }
        defer { try? FileManager.default.removeItem(at: package.root) }
        #expect(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"]) == nil)
    }

    @Test(arguments: [
        ("public enum StudentAdapter { public static func make() -> any Contract { Impl() } }", true),
        ("public struct StudentAdapter { var inner: StudentType }", false),
    ])
    func theChecksMayCompileAgainstTheAdapterOnlyWhenItsInterfaceIsOpaque(adapter: String, derived: Bool) throws {
        let package = try FakePackage { build in
            """
              "C.checks-x86_64-unknown-linux-gnu-debug.module":
                tool: shell
                inputs: \(FakePackage.json(["\(build)/Modules/SubmissionAdapter.swiftmodule"]))
                outputs: []
                args: ["/opt/swift/usr/bin/swiftc", "-module-name", "checks"]

            """
        }
        defer { try? FileManager.default.removeItem(at: package.root) }
        try FileManager.default.createDirectory(at: package.root.appendingPathComponent("Adapter"), withIntermediateDirectories: true)
        try adapter.write(to: package.root.appendingPathComponent("Adapter/Adapter.swift"), atomically: true, encoding: .utf8)
        let plan = try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"])
        #expect((plan != nil) == derived)
    }

    @Test func anObjectListInAFormNotReadHereLeavesTheBuildToSwiftPM() throws {
        let package = try FakePackage(listLines: ["\"/path with space/Student.build/A.swift.o\"", "/elsewhere/CheckKit.build/Check.swift.o"])
        defer { try? FileManager.default.removeItem(at: package.root) }
        #expect(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"]) == nil)
    }

    @Test func aMissingPlanOrTargetLeavesTheBuildToSwiftPM() throws {
        let package = try FakePackage()
        defer { try? FileManager.default.removeItem(at: package.root) }
        #expect(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "NoSuchTarget"]) == nil)
        try FileManager.default.removeItem(atPath: package.root.path + "/.build/debug.yaml")
        #expect(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"]) == nil)
    }

    @Test func theScriptRunsEachStepWithItsArgumentsUnchangedAndStopsAtTheFirstFailure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("direct-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        let tricky = "it's $HOME `x` \"q\" \\ ; rm -rf /"
        let plan = DirectBuildPlan(
            steps: [["/usr/bin/printf", "%s|", tricky, "$ORIGIN"], ["/bin/false"], ["/usr/bin/touch", out]], studentSources: [], outputs: [])
        let outcome = try ToolRunner.run("/bin/sh", ["-c", plan.script], timeout: 30)
        #expect(outcome.output == tricky + "|$ORIGIN|")
        #expect(outcome.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out), "the step after a failing one does not run")
    }

    @Test func aSavedPlanRoundTripsAndPrepareRemovesIt() throws {
        let package = try FakePackage()
        defer { try? FileManager.default.removeItem(at: package.root) }
        let plan = try #require(try DirectBuildPlan.derive(directory: package.root, studentTargets: ["Student", "SubmissionAdapter"]))
        try plan.save(in: package.root)
        #expect(DirectBuildPlan.load(in: package.root) == plan)
        let module = package.root.appendingPathComponent("Sources/Student")
        #expect(!plan.compilesExactly(filesUnder: module), "the fake package has no student files")
        try FileManager.default.createDirectory(at: module, withIntermediateDirectories: true)
        for source in plan.studentSources { try Data().write(to: URL(fileURLWithPath: source)) }
        #expect(plan.compilesExactly(filesUnder: module))
        // A file the plan does not compile (the solution lacked it) leaves the build to SwiftPM.
        let extra = module.appendingPathComponent("Extra.swift")
        try Data().write(to: extra)
        #expect(!plan.compilesExactly(filesUnder: module))
        try FileManager.default.removeItem(at: extra)
        try FileManager.default.removeItem(atPath: plan.studentSources[1])
        #expect(!plan.compilesExactly(filesUnder: module), "nor does a missing one")
        DirectBuildPlan.remove(in: package.root)
        #expect(DirectBuildPlan.load(in: package.root) == nil)
    }

    @Test(arguments: [
        ("public enum A { public static func make() -> any P { Impl() } }", true),
        ("public func top() -> Int { 1 }\nstruct Hidden { var x: Student }", true),
        ("public struct Box { var inner: StudentType }", false),
        ("public enum A { case one(StudentType) }", false),
        ("public enum A { @inlinable public static func make() -> Int { 1 } }", false),
        ("public enum A { @usableFromInline static func helper() {} }", false),
        ("public extension Int { func doubled() -> Int { self * 2 } }", false),
        ("extension Int { public var doubled: Int { self * 2 } }", false),
        ("public final class Handle { }", false),
        ("public typealias Alias = Int", false),
        ("public let shared = 1", false),
    ])
    func anInterfaceIsOpaqueOnlyWithFunctionsInCaselessEnums(source: String, holds: Bool) {
        #expect(OpaqueInterface.holds(inSources: [source]) == holds)
    }

    @Test func everyCourseAdapterIsOpaque() throws {
        let layout = try CourseLayout.locate()
        let adapters = try FileManager.default.contentsOfDirectory(atPath: layout.root.appendingPathComponent("Assignments").path).compactMap { id -> String? in
            let file = layout.root.appendingPathComponent("Assignments/\(id)/adapter/Adapter.swift")
            return try? String(contentsOf: file, encoding: .utf8)
        }
        #expect(adapters.count >= 8, "the course's thread assignments each have an adapter")
        for adapter in adapters { #expect(OpaqueInterface.holds(inSources: [adapter]), "\(adapter.prefix(300))") }
    }
}
