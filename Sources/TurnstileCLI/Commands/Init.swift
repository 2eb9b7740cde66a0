import ArgumentParser
import Foundation
import Grading

extension Turnstile {
    /// `turnstile init ASSIGNMENT [DIR]`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scaffold an assignment into a new git repository.",
            discussion: "Creates a Swift package with the starter files, a copy of the runtime and the public checks, and commits it. Then: cd DIR, edit the files the README names, and run `turnstile test`.")

        @Argument(help: "The assignment id (see `turnstile assignments list`).")
        var assignment: String

        @Argument(help: "Where to create it (default: the assignment id).")
        var directory: String?

        @OptionGroup var course: CourseOptions

        func run() throws {
            let layout = try course.layout()
            let manifest = try AssignmentCatalog(layout: layout).manifest(assignment)
            let target = URL(fileURLWithPath: directory ?? assignment)
            try Scaffolder(layout: layout, manifest: manifest).scaffold(into: target)
            print("""
                Created \(target.path) for "\(manifest.title)".
                Next:
                  cd \(target.path)
                  edit \(manifest.studentFiles.joined(separator: ", ")) (read README.md first)
                  turnstile test
                """)
        }
    }
}
