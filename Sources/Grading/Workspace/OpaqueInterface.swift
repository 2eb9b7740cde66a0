import SwiftParser
import SwiftSyntax

/// Whether a module's exported declarations leave its clients nothing compiled in that depends
/// on what the module imports: only functions, at the top level or as members of caseless
/// enums, and nothing inlinable.
///
/// The ``DirectBuildPlan`` recompiles the adapter for each student but not the checks built
/// against it. A module imported `internal` is still loaded by the adapter's clients (without
/// library evolution, an import's access level does not hide the dependency), so a public
/// struct of the adapter with a stored property of a student type would give the checks the
/// solution's memory layout, and inlinable code would put the adapter's body of the solution's
/// day into them. A function in a caseless enum carries neither: a client calls it by symbol,
/// and its signature can name only the contract's types. Where this does not hold, the
/// workspace keeps building with `swift build`.
enum OpaqueInterface {
    /// Whether every file in `sources` holds.
    static func holds(inSources sources: [String]) -> Bool {
        sources.allSatisfy { source in
            let visitor = Visitor()
            visitor.walk(Parser.parse(source: source))
            return visitor.holds
        }
    }

    /// Attributes that compile a declaration's body into its clients.
    static let inliningAttributes: Set<String> = ["inlinable", "usableFromInline", "_alwaysEmitIntoClient", "_transparent", "frozen"]

    final class Visitor: SyntaxVisitor {
        private(set) var holds = true

        init() { super.init(viewMode: .sourceAccurate) }

        private func refuseIfExported(_ modifiers: DeclModifierListSyntax) -> SyntaxVisitorContinueKind {
            if SurfaceCollector.isExported(modifiers) { holds = false }
            return .visitChildren
        }

        override func visit(_ node: AttributeSyntax) -> SyntaxVisitorContinueKind {
            if Self.inlining(node) { holds = false }
            return .skipChildren
        }

        static func inlining(_ node: AttributeSyntax) -> Bool {
            OpaqueInterface.inliningAttributes.contains(node.attributeName.trimmedDescription)
        }

        override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }
        override func visit(_ node: MacroDeclSyntax) -> SyntaxVisitorContinueKind { refuseIfExported(node.modifiers) }

        override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
            // Any exported member of an extension is refused (conservative: its type's layout
            // is not checked here).
            if SurfaceCollector.isExported(node.modifiers)
                || node.memberBlock.members.contains(where: { Self.isExportedMember($0.decl) })
            {
                holds = false
            }
            return .visitChildren
        }

        override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
            if SurfaceCollector.isExported(node.modifiers), node.memberBlock.members.contains(where: { $0.decl.is(EnumCaseDeclSyntax.self) }) {
                holds = false
            }
            return .visitChildren
        }

        override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
            guard SurfaceCollector.isExported(node.modifiers) else { return .visitChildren }
            // Its nearest enclosing declaration context: none (top level) or a caseless enum.
            var parent = node.parent
            while let current = parent {
                if let enumeration = current.as(EnumDeclSyntax.self) {
                    if enumeration.memberBlock.members.contains(where: { $0.decl.is(EnumCaseDeclSyntax.self) }) { holds = false }
                    break
                }
                if current.is(StructDeclSyntax.self) || current.is(ClassDeclSyntax.self) || current.is(ActorDeclSyntax.self)
                    || current.is(ProtocolDeclSyntax.self) || current.is(ExtensionDeclSyntax.self)
                {
                    holds = false
                    break
                }
                parent = current.parent
            }
            return .visitChildren
        }

        static func isExportedMember(_ declaration: DeclSyntax) -> Bool {
            guard let modifiers = declaration.asProtocol(WithModifiersSyntax.self)?.modifiers else { return false }
            return SurfaceCollector.isExported(modifiers)
        }
    }
}
