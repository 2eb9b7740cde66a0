import SwiftParser
import SwiftSyntax

/// Walks a student file's syntax tree and collects what the policy forbids.
///
/// It works on the parsed tree, not on text, so comments, line breaks, `#if` branches and
/// unusual whitespace cannot hide an import or an attribute: every branch of every `#if` is
/// visited, and every identifier token is seen once, wherever it stands.
final class SubmissionVetter: SyntaxVisitor {
    let policy: SubmissionPolicy
    let converter: SourceLocationConverter
    /// Names the file itself declares; only these may start with an underscore.
    let declaredNames: Set<String>
    /// Types the file declares; only these may be extended with a conformance.
    let declaredTypes: Set<String>
    var found: [(line: Int, reason: String)] = []

    init(policy: SubmissionPolicy, tree: SourceFileSyntax, converter: SourceLocationConverter) {
        self.policy = policy
        self.converter = converter
        let names = DeclaredNames()
        names.walk(tree)
        declaredNames = names.names
        declaredTypes = names.types
        super.init(viewMode: .sourceAccurate)
    }

    private func flag(_ node: some SyntaxProtocol, _ reason: String) {
        found.append((node.startLocation(converter: converter).line, reason))
    }

    /// Attributes a student file may use; any other (every `@_…` among them) is refused.
    static let allowedAttributes: Set<String> = [
        "available", "discardableResult", "inlinable", "inline", "usableFromInline", "frozen", "escaping",
        "autoclosure", "Sendable", "unchecked", "MainActor", "preconcurrency", "propertyWrapper", "resultBuilder",
        "dynamicMemberLookup", "warn_unqualified_access", "unknown", "nonobjc", "specialized", "sendable",
        "TaskLocal", "isolated", "noDerivative",
    ]

    /// Compile-time literals a student file may expand; any other macro is refused.
    static let allowedMacros: Set<String> = ["file", "fileID", "filePath", "line", "column", "function", "warning", "error"]

    override func visit(_ node: ImportDeclSyntax) -> SyntaxVisitorContinueKind {
        let module = node.path.first?.name.text ?? ""
        if !policy.allowedImports.contains(module) {
            flag(node, "import \(module) is not allowed; this assignment allows only \(policy.allowedImports.sorted().joined(separator: ", "))")
        }
        for attribute in node.attributes {
            flag(attribute, "\(attribute.trimmedDescription) on an import is not allowed; write a plain `import \(module)`")
        }
        return .skipChildren
    }

    override func visit(_ node: AttributeSyntax) -> SyntaxVisitorContinueKind {
        let name = node.attributeName.trimmedDescription
        if !Self.allowedAttributes.contains(name) {
            flag(node, "the attribute @\(name) is not allowed in this assignment")
        }
        return .visitChildren
    }

    override func visit(_ node: MacroExpansionExprSyntax) -> SyntaxVisitorContinueKind {
        checkMacro(node.macroName.text, node)
        return .visitChildren
    }

    override func visit(_ node: MacroExpansionDeclSyntax) -> SyntaxVisitorContinueKind {
        checkMacro(node.macroName.text, node)
        return .visitChildren
    }

    private func checkMacro(_ name: String, _ node: some SyntaxProtocol) {
        if !Self.allowedMacros.contains(name) { flag(node, "#\(name) is not allowed in this assignment") }
    }

    override func visit(_ node: PoundSourceLocationSyntax) -> SyntaxVisitorContinueKind {
        flag(node, "#sourceLocation is not allowed: file and line numbers in feedback must be your file's own")
        return .skipChildren
    }

    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        let root = node.extendedType.trimmedDescription.split(separator: ".").first.map(String.init) ?? ""
        if node.inheritanceClause != nil, !declaredTypes.contains(root) {
            flag(node, "a conformance added to \(node.extendedType.trimmedDescription), which this file does not declare, is not allowed (it would change how other code sees that type)")
        }
        return .visitChildren
    }

    override func visit(_ token: TokenSyntax) -> SyntaxVisitorContinueKind {
        let text = token.text
        switch token.tokenKind {
        case .identifier, .keyword:
            if !policy.allowsUnsafeCode, text.lowercased().contains("unsafe") {
                flag(token, "`\(text)`: unsafe constructs are not allowed in this assignment")
            } else if policy.forbiddenNames.contains(text) {
                flag(token, "`\(text)` is not allowed in this assignment")
            } else if text.hasPrefix("_"), text != "_", case .identifier = token.tokenKind, !declaredNames.contains(text) {
                flag(token, "`\(text)`: names starting with an underscore are the standard library's internals; only names your file declares may start with one")
            }
        default:
            break
        }
        return .visitChildren
    }
}

/// The names and types a file declares (for the underscore and conformance rules).
final class DeclaredNames: SyntaxVisitor {
    var names: Set<String> = []
    var types: Set<String> = []

    init() { super.init(viewMode: .sourceAccurate) }

    private func type(_ name: TokenSyntax) {
        names.insert(name.text)
        types.insert(name.text)
    }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: AssociatedTypeDeclSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }
    override func visit(_ node: GenericParameterSyntax) -> SyntaxVisitorContinueKind { type(node.name); return .visitChildren }

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind { names.insert(node.name.text); return .visitChildren }
    override func visit(_ node: IdentifierPatternSyntax) -> SyntaxVisitorContinueKind { names.insert(node.identifier.text); return .visitChildren }
    override func visit(_ node: EnumCaseElementSyntax) -> SyntaxVisitorContinueKind { names.insert(node.name.text); return .visitChildren }
    override func visit(_ node: ClosureShorthandParameterSyntax) -> SyntaxVisitorContinueKind { names.insert(node.name.text); return .visitChildren }

    override func visit(_ node: FunctionParameterSyntax) -> SyntaxVisitorContinueKind {
        names.insert(node.firstName.text)
        if let second = node.secondName { names.insert(second.text) }
        return .visitChildren
    }

    override func visit(_ node: ClosureParameterSyntax) -> SyntaxVisitorContinueKind {
        names.insert(node.firstName.text)
        if let second = node.secondName { names.insert(second.text) }
        return .visitChildren
    }
}
