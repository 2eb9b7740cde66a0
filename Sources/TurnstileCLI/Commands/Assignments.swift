import ArgumentParser
import Foundation
import Grading

extension Turnstile {
    /// `turnstile assignments list`.
    struct Assignments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the course's assignments.", subcommands: [List.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List assignment ids, titles, checks and points.")
            @OptionGroup var course: CourseOptions

            func run() throws {
                let catalog = AssignmentCatalog(layout: try course.layout())
                var rows = [["id", "title", "checks", "points"]]
                for id in catalog.ids() {
                    let manifest = try catalog.manifest(id)
                    let visible = manifest.checks.filter { $0.visibility == "public" }.count
                    rows.append([id, manifest.title, "\(manifest.checks.count) (\(visible) public)", formatPoints(manifest.maxScore)])
                }
                print(formatTable(rows))
            }
        }
    }
}
