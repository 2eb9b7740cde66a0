import Foundation

/// What a student file may contain before the grader compiles it.
///
/// Student code runs in the same process as the check harness, so it could in principle reach
/// the harness's memory or file descriptors and forge a result. The sandbox limits what such
/// code can do to the system; this policy closes the in-process route at the source level: a
/// student file may import only the modules the manifest allows, and may not use unsafe
/// pointers, C interop attributes, or process-control calls. (The nonce check on the result
/// record is the last line: without unsafe memory access the code cannot read it.)
public struct SubmissionPolicy: Sendable {
    /// A rule a file broke, with the line.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// The student file, as passed to ``SubmissionPolicy/violations(in:file:)``.
        public var file: String
        /// The 1-based line number.
        public var line: Int
        /// The rule broken, in a sentence.
        public var reason: String
        /// `file:line: reason`, as compilers print diagnostics.
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// The modules a student file may import; a dotted import counts by its first component.
    public let allowedImports: Set<String>

    /// Identifiers that reach outside the runtime's safe vocabulary.
    static let forbiddenWords: [(String, String)] = [
        ("Unsafe", "unsafe pointers are not allowed"),
        ("unsafeBitCast", "unsafeBitCast is not allowed"),
        ("unsafeDowncast", "unsafeDowncast is not allowed"),
        ("@_silgen_name", "@_silgen_name is not allowed"),
        ("@_cdecl", "@_cdecl is not allowed"),
        ("@_extern", "@_extern is not allowed"),
        ("@_implementationOnly", "@_implementationOnly is not allowed"),
        ("dlopen", "dlopen is not allowed"),
        ("dlsym", "dlsym is not allowed"),
        ("#externalMacro", "macros are not allowed"),
        ("unowned(unsafe)", "unowned(unsafe) is not allowed"),
    ]

    /// Creates a policy.
    /// - Parameter allowedImports: The modules a student file may import (the manifest's
    ///   ``AssignmentManifest/allowedImports``).
    public init(allowedImports: [String]) {
        self.allowedImports = Set(allowedImports)
    }

    /// Checks one file's text.
    public func violations(in text: String, file: String) -> [Violation] {
        var found: [Violation] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let code = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? line
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            let tokens = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let importIndex = tokens.firstIndex(where: { $0 == "import" }),
                tokens[..<importIndex].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "private", "fileprivate", "package"].contains(String($0)) }),
                importIndex + 1 < tokens.count
            {
                var module = String(tokens[importIndex + 1])
                if ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(module), importIndex + 2 < tokens.count {
                    module = String(tokens[importIndex + 2])
                }
                let root = String(module.split(separator: ".").first ?? "")
                if !allowedImports.contains(root) {
                    found.append(Violation(file: file, line: index + 1, reason: "import \(root) is not allowed; this assignment allows only \(allowedImports.sorted().joined(separator: ", "))"))
                }
            }
            for (word, reason) in Self.forbiddenWords where code.contains(word) {
                found.append(Violation(file: file, line: index + 1, reason: reason))
            }
        }
        return found
    }
}
