import SwiftParser
import SwiftSyntax

/// What a student file may contain before the grader compiles it, judged on the file's syntax
/// tree (swift-syntax), not its text.
///
/// Student code runs in the same process as the check harness. This policy keeps it to the
/// assignment's vocabulary, so the only way it can influence a check is through the API the
/// assignment defines:
/// - **imports**: only the manifest's modules, in any form (`import struct M.T`, `internal
///   import M`); no attribute on an import (`@testable`, `@_spi`, `@_exported`,
///   `@preconcurrency`); every `#if` branch counts, active or not;
/// - **attributes**: an allowlist of ordinary ones; every `@_…` attribute, `@main`,
///   `@convention`, `@exclusivity`, `@retroactive` and the like are refused;
/// - **unsafe code**: any identifier or keyword containing `unsafe` (`UnsafePointer`,
///   `withUnsafeBytes`, `unsafeBitCast`, `unowned(unsafe)`, `nonisolated(unsafe)`, `unsafe`
///   expressions), plus the names in ``forbiddenNames`` (`Unmanaged`, `CommandLine`, …);
/// - **standard-library internals**: names starting with `_` unless the file declares them;
/// - **macros**: only `#file`, `#line` and the other source-location literals; `#sourceLocation`
///   is refused so feedback always names the student's real file and line;
/// - **public surface**: with a template surface given, the file may declare as `public`,
///   `open` or `package` only what the template does (same names, labels and types): no extra
///   public functions, operators, types or extensions;
/// - **conformances** may be added only to types the file declares.
///
/// A file that does not parse is refused with the first syntax error, so the tree that was
/// vetted is the tree that is compiled. The grader also confirms the imports with the
/// compiler's own list (``CompilerImports``).
public struct SubmissionPolicy: Sendable {
    /// A rule a file broke, with the line.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// The student file, as passed to ``SubmissionPolicy/violations(in:file:)``.
        public var file: String
        /// The 1-based line number.
        public var line: Int
        /// The rule broken, in a sentence.
        public var reason: String
        /// Whether the file could not be parsed at all (the compiler's diagnostics then say more).
        public var isParseError = false
        /// `file:line: reason`, as compilers print diagnostics.
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Names that reach outside the runtime's safe vocabulary or into the grader's engine.
    public static let defaultForbiddenNames: Set<String> = [
        "Unmanaged", "OpaquePointer", "CommandLine", "readLine", "dlopen", "dlsym", "getVaList", "withVaList",
        "CVaListPointer", "ManagedBuffer", "ManagedBufferPointer", "Builtin",
        // Clocks and tasks let code tell the controlled engine from real threads, or block outside the runtime.
        "ContinuousClock", "SuspendingClock", "Task", "TaskGroup", "withTaskGroup", "withThrowingTaskGroup",
        "withCheckedContinuation", "withCheckedThrowingContinuation", "withDiscardingTaskGroup",
        // The grader's engine: student code must not drive or detect it.
        "ControlledScheduler", "SchedulingStrategy", "isControlled", "reportViolation", "currentThreadName",
        "CrashDescription", "ExecutionOptions", "ExecutionReport", "noteAccess", "newObjectSerial", "abandonExecution",
        "awaitQuiescence",
    ]

    /// The modules a student file may import.
    public let allowedImports: Set<String>
    /// Identifiers a student file may not use.
    public let forbiddenNames: Set<String>
    /// The only public declarations allowed, or nil to allow any.
    public let templateSurface: Set<String>?
    /// Whether unsafe code and the default forbidden names are allowed: for a process
    /// assignment, whose student code runs as a program of its own, apart from every verdict.
    public let allowsUnsafeCode: Bool

    /// Creates a policy.
    /// - Parameters:
    ///   - allowedImports: The modules a student file may import (the manifest's
    ///     ``AssignmentManifest/allowedImports``).
    ///   - forbiddenNames: Identifiers the assignment forbids on top of ``defaultForbiddenNames``.
    ///   - templateSurface: The template's public signatures (``PublicSurface/signatures``); nil
    ///     leaves the public surface unchecked.
    ///   - allowsUnsafeCode: Allow unsafe code and drop ``defaultForbiddenNames`` (a process
    ///     assignment's program, isolated from the verdict); imports, attributes, macros and the
    ///     public surface are checked all the same.
    public init(allowedImports: [String], forbiddenNames: [String] = [], templateSurface: Set<String>? = nil, allowsUnsafeCode: Bool = false) {
        self.allowedImports = Set(allowedImports)
        self.forbiddenNames = (allowsUnsafeCode ? [] : Self.defaultForbiddenNames).union(forbiddenNames)
        self.templateSurface = templateSurface
        self.allowsUnsafeCode = allowsUnsafeCode
    }

    /// The policy for `manifest`'s student files, given the template's public surface.
    public init(manifest: AssignmentManifest, templateSurface: Set<String>?) {
        self.init(
            allowedImports: manifest.allowedImports, forbiddenNames: manifest.forbiddenNames ?? [], templateSurface: templateSurface,
            allowsUnsafeCode: manifest.isProcess)
    }

    /// Checks one file's text.
    public func violations(in text: String, file: String) -> [Violation] {
        let tree = Parser.parse(source: text)
        let converter = SourceLocationConverter(fileName: file, tree: tree)
        if tree.hasError, let broken = Self.firstError(in: tree) {
            let line = broken.startLocation(converter: converter).line
            return [Violation(
                file: file, line: line, reason: "this line does not parse as Swift; fix the syntax error (the compiler's message: run `turnstile test`)",
                isParseError: true)]
        }
        let vetter = SubmissionVetter(policy: self, tree: tree, converter: converter)
        vetter.walk(tree)
        var found = vetter.found.map { Violation(file: file, line: $0.line, reason: $0.reason) }
        if let templateSurface {
            for declaration in PublicSurface(source: text).declarations where !templateSurface.contains(declaration.signature) {
                found.append(Violation(
                    file: file, line: declaration.line,
                    reason: "`\(declaration.signature)` is public but not part of the assignment's API; make it internal or private (only the template's public declarations may be public, with the same labels and types)"))
            }
        }
        return found.sorted { ($0.line, $0.reason) < ($1.line, $1.reason) }
    }

    private static func firstError(in tree: SourceFileSyntax) -> Syntax? {
        final class Finder: SyntaxAnyVisitor {
            var first: Syntax?
            override func visitAny(_ node: Syntax) -> SyntaxVisitorContinueKind {
                guard first == nil else { return .skipChildren }
                if node.is(MissingDeclSyntax.self) || node.is(MissingExprSyntax.self) || node.is(MissingStmtSyntax.self)
                    || node.is(MissingTypeSyntax.self) || node.is(MissingPatternSyntax.self) || node.is(MissingSyntax.self)
                    || node.is(UnexpectedNodesSyntax.self)
                {
                    first = node
                    return .skipChildren
                }
                if let token = node.as(TokenSyntax.self), token.presence == .missing {
                    first = node
                }
                return .visitChildren
            }
        }
        let finder = Finder(viewMode: .all)
        finder.walk(tree)
        return finder.first ?? Syntax(tree)
    }
}
