import ArgumentParser
import Foundation
import Grading
import Testing
@testable import TurnstileCLI

/// A temporary copy of the course (with shorter limits, so hang checks are quick) and a place
/// for student repositories, gradebooks and caches. Removed when released.
final class CourseFixture {
    let root: URL
    let course: CourseLayout

    init(wallSeconds: Int = 10) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-e2e-\(UUID().uuidString)")
        let real = try CourseLayout.locate()
        let copy = root.appendingPathComponent("course")
        for part in ["Assignments", "Templates", "Solutions", "grading", "Skeleton"] + (CourseLayout.vendoredModules + CourseLayout.processModules + CourseLayout.libraryModules.keys.sorted()).map({ "Sources/\($0)" }) {
            let destination = copy.appendingPathComponent(part)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: real.path(part), to: destination)
        }
        course = CourseLayout(root: copy)
        let manifestURL = copy.appendingPathComponent("Assignments/producer-consumer/assignment.json")
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        // Native checks (those with their own limit) get the short one, so a hang costs seconds;
        // controlled checks keep the assignment's safety net, far above their budget's cost.
        manifest["checks"] = (manifest["checks"] as! [[String: Any]]).map { check in
            var check = check
            if check["wallSeconds"] != nil { check["wallSeconds"] = wallSeconds }
            return check
        }
        try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted]).write(to: manifestURL)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The student file of one variant: the solution, the template, a correct alternative
    /// (`alternative:NAME`), or a mutant.
    func variantSource(_ variant: String) throws -> String {
        let file = "Sources/ProducerConsumer/BoundedBuffer.swift"
        switch variant {
        case "solution", "template":
            let directory = variant == "solution" ? "Solutions/producer-consumer" : "Templates/producer-consumer"
            return try String(contentsOf: course.path(directory).appendingPathComponent(file), encoding: .utf8)
        case _ where variant.hasPrefix(AssignmentValidator.alternativePrefix):
            let manifest = try AssignmentCatalog(layout: course).manifest("producer-consumer")
            let alternatives = try #require(manifest.alternativesDirectory)
            let name = variant.dropFirst(AssignmentValidator.alternativePrefix.count)
            return try String(contentsOf: course.path("\(alternatives)/\(name)/\(file)"), encoding: .utf8)
        default:
            let manifest = try AssignmentCatalog(layout: course).manifest("producer-consumer")
            let mutant = try #require(try Mutant.load(for: manifest, layout: course).first { $0.id == variant })
            return try #require(try mutant.sources(for: manifest, layout: course)[file])
        }
    }
}

/// Runs `turnstile ARGUMENTS` in-process and returns its exit status (0 when it returned).
func turnstileExitStatus(_ arguments: [String]) throws -> Int32 {
    do {
        var command = try Turnstile.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let exit as ExitCode {
        return exit.rawValue
    }
}
