import Foundation

/// The commands of the build plan SwiftPM writes at `.build/debug.yaml` (llbuild's manifest):
/// each command's name, inputs and argument vector.
///
/// The file is YAML, but SwiftPM writes every command the same way: the name as a quoted key
/// indented by two spaces, then `inputs:`, `outputs:` and (shell commands) `args:` as JSON
/// flow sequences on one line each. Reading those lines with a JSON decoder is exact for what
/// the grader needs, and needs no YAML library for one generated file; a line in any other
/// shape is skipped, and a plan that lacks what the grader looks for leaves it on `swift build`.
public struct SwiftPMPlanFile: Sendable {
    /// One command of the plan.
    public struct Command: Sendable, Equatable {
        /// Its name, such as `C.Module-x86_64-unknown-linux-gnu-debug.module`.
        public var name: String
        /// The files (and virtual nodes) it reads.
        public var inputs: [String] = []
        /// Its argument vector, for a shell command; empty otherwise.
        public var arguments: [String] = []
    }

    /// The commands, by name.
    public var commands: [String: Command]

    /// Reads the plan's text.
    public init(text: String) {
        var commands: [String: Command] = [:]
        var current: Command?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("  \""), !line.hasPrefix("   "), line.hasSuffix("\":") {
                if let current { commands[current.name] = current }
                current = Command(name: String(line.dropFirst(3).dropLast(2)))
                continue
            }
            if !line.hasPrefix("  ") {
                if let current { commands[current.name] = current }
                current = nil
                continue
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("inputs: ") {
                current?.inputs = Self.list(text.dropFirst("inputs: ".count)) ?? []
            } else if text.hasPrefix("args: ") {
                current?.arguments = Self.list(text.dropFirst("args: ".count)) ?? []
            }
        }
        if let current { commands[current.name] = current }
        self.commands = commands
    }

    /// Reads the plan at `.build/debug.yaml` under a package directory; nil when it is missing.
    public init?(packageAt directory: URL) {
        let file = directory.appendingPathComponent(".build/debug.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        self.init(text: text)
    }

    /// The debug-configuration compile command of the Swift target whose module is named
    /// `target` (its `-module-name`, unique in a package).
    public func compile(of target: String) -> Command? {
        commands.values.first {
            $0.name.hasPrefix("C.") && $0.name.hasSuffix("-debug.module") && Self.value(of: "-module-name", in: $0.arguments) == target
        }
    }

    /// The debug-configuration link commands of every product.
    public var links: [Command] {
        commands.values.filter { $0.name.hasPrefix("C.") && $0.name.hasSuffix("-debug.exe") && !$0.arguments.isEmpty }
            .sorted { $0.name < $1.name }
    }

    /// The value following `option` in `arguments`, if any.
    public static func value(of option: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    private static func list(_ json: Substring) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(json.utf8))
    }
}
