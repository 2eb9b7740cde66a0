import ArgumentParser
import Foundation
import Grading

extension Turnstile {
    /// `turnstile assignments list|new` (also spelt `assignment`).
    struct Assignments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the course's assignments, or start a new one.", subcommands: [List.self, New.self],
            defaultSubcommand: List.self, aliases: ["assignment"])

        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a new assignment from the course's skeleton (a working shared-counter exercise to rewrite).",
                discussion: "Writes Assignments/ID (manifest, README, contract, adapter, public checks), grading/ID (hidden checks, a mutant, a correct alternative), Solutions/ID and Templates/ID. `turnstile validate ID` passes on the result; change it into your exercise one part at a time, validating as you go.")
            @Argument(help: "The new assignment's id: lowercase words joined by '-'.") var id: String
            @Option(help: "The Swift module students write (UpperCamelCase).") var module: String
            @Option(help: "The assignment's title, one line.") var title: String
            @OptionGroup var course: CourseOptions

            func run() throws {
                let layout = try course.layout()
                let written = try AssignmentSkeleton(layout: layout).create(id: id, module: module, title: title)
                print("Created \(id) (\(written.count) files):")
                for file in written { print("  \(file)") }
                print("Next: turnstile validate \(id)   # the solution and the alternative full marks, the template and the mutant less")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List assignment ids, titles, checks and points.")
            @OptionGroup var course: CourseOptions

            func run() throws {
                let catalog = AssignmentCatalog(layout: try course.layout())
                var rows = [["id", "title", "checks", "points"]]
                for id in catalog.ids() {
                    let manifest = try catalog.manifest(id)
                    let visible = manifest.checks.filter { $0.visibility == .public }.count
                    rows.append([id, manifest.title, "\(manifest.checks.count) (\(visible) public)", formatPoints(manifest.maxScore)])
                }
                print(formatTable(rows))
            }
        }
    }
}
