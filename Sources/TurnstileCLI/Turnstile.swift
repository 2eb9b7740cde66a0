import ArgumentParser

/// The `turnstile` command: courseware and an auto-grader for IPC, synchronization and secure
/// communication.
public struct Turnstile: ParsableCommand {
    /// The command's name, help text, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "turnstile",
        abstract: "Courseware and an auto-grader for inter-process communication, synchronization and secure communication.",
        discussion: """
            Students: `turnstile init ASSIGNMENT DIR` scaffolds an assignment into a git repository; \
            `turnstile test` inside it runs the public checks.
            Instructors: `turnstile grade ASSIGNMENT --roster roster.csv --deadline 2026-12-01T23:59:00Z` grades every \
            student's repository in a sandbox into a SQLite gradebook; `turnstile gradebook export` writes it out.
            Everyone: `turnstile demo` runs the whole loop on built-in sample students.
            """,
        version: "0.1.0",
        subcommands: [
            Demo.self, Init.self, Test.self, Collect.self, Grade.self, GradebookCommand.self, Assignments.self, Validate.self, Gradescope.self, IPC.self, Channel.self,
        ])

    /// Creates the root command; ArgumentParser calls it when parsing.
    public init() {}
}
