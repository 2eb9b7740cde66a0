import SwiftParser
import SwiftSyntax

/// The `public`, `open` and `package` declarations of a set of Swift files, each reduced to a
/// normalized signature (`BoundedBuffer.func put(_:Element)`), so that a student's files can be
/// compared with the template's.
///
/// A student file may make public only what its template makes public: with nothing else public,
/// no declaration in it can join overload resolution in the grader's adapter, whatever its name.
/// Parameter names, default values, attributes and whitespace do not count; labels, types,
/// effects and the enclosing type do.
public struct PublicSurface: Sendable, Equatable {
    /// One exported declaration.
    public struct Declaration: Sendable, Hashable, CustomStringConvertible {
        /// The normalized signature, qualified by its enclosing types.
        public var signature: String
        /// The 1-based line where it is declared.
        public var line: Int
        /// The signature as a reader would write it.
        public var description: String { signature }

        public static func == (lhs: Declaration, rhs: Declaration) -> Bool { lhs.signature == rhs.signature }
        public func hash(into hasher: inout Hasher) { hasher.combine(signature) }
    }

    /// The exported declarations found.
    public var declarations: [Declaration]

    /// The signatures alone.
    public var signatures: Set<String> { Set(declarations.map(\.signature)) }

    /// The surface of one file's text.
    public init(source: String) {
        let tree = Parser.parse(source: source)
        let collector = SurfaceCollector(converter: SourceLocationConverter(fileName: "", tree: tree))
        collector.walk(tree)
        declarations = collector.found
    }

    /// The union of several files' surfaces.
    public init(sources: [String]) {
        declarations = sources.flatMap { PublicSurface(source: $0).declarations }
    }
}

/// Walks a tree, keeping the enclosing type names, and records every exported declaration.
final class SurfaceCollector: SyntaxVisitor {
    let converter: SourceLocationConverter
    var found: [PublicSurface.Declaration] = []
    private var path: [String] = []

    init(converter: SourceLocationConverter) {
        self.converter = converter
        super.init(viewMode: .sourceAccurate)
    }

    static let exportingModifiers: Set<String> = ["public", "open", "package"]

    static func isExported(_ modifiers: DeclModifierListSyntax) -> Bool {
        modifiers.contains { exportingModifiers.contains($0.name.text) && $0.detail == nil }
    }

    /// Types with whitespace removed, so `[ Int ]` and `[Int]` compare equal.
    static func compact(_ node: (some SyntaxProtocol)?) -> String {
        guard let node else { return "" }
        return String(node.trimmedDescription.filter { !$0.isWhitespace })
    }

    static func staticPrefix(_ modifiers: DeclModifierListSyntax) -> String {
        modifiers.contains { ["static", "class"].contains($0.name.text) } ? "static " : ""
    }

    static func parameters(_ clause: FunctionParameterClauseSyntax) -> String {
        clause.parameters.map { "\($0.firstName.text):\(compact($0.type))\($0.ellipsis == nil ? "" : "...")" }.joined(separator: ",")
    }

    private func record(_ signature: String, _ node: some SyntaxProtocol) {
        let qualified = (path + [signature]).joined(separator: ".")
        found.append(.init(signature: qualified, line: node.startLocation(converter: converter).line))
    }

    private func enter(_ kind: String, _ name: String, _ generics: GenericParameterClauseSyntax?, _ modifiers: DeclModifierListSyntax, _ node: some SyntaxProtocol) {
        if Self.isExported(modifiers) { record("\(kind) \(name)\(Self.compact(generics))", node) }
        path.append(name)
    }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind {
        enter("class", node.name.text, node.genericParameterClause, node.modifiers, node)
        return .visitChildren
    }
    override func visitPost(_ node: ClassDeclSyntax) { path.removeLast() }

    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind {
        enter("struct", node.name.text, node.genericParameterClause, node.modifiers, node)
        return .visitChildren
    }
    override func visitPost(_ node: StructDeclSyntax) { path.removeLast() }

    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
        enter("enum", node.name.text, node.genericParameterClause, node.modifiers, node)
        return .visitChildren
    }
    override func visitPost(_ node: EnumDeclSyntax) { path.removeLast() }

    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind {
        enter("actor", node.name.text, node.genericParameterClause, node.modifiers, node)
        return .visitChildren
    }
    override func visitPost(_ node: ActorDeclSyntax) { path.removeLast() }

    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind {
        enter("protocol", node.name.text, nil, node.modifiers, node)
        return .visitChildren
    }
    override func visitPost(_ node: ProtocolDeclSyntax) { path.removeLast() }

    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        let name = Self.compact(node.extendedType)
        if Self.isExported(node.modifiers) { record("extension \(name)", node) }
        path.append(name)
        return .visitChildren
    }
    override func visitPost(_ node: ExtensionDeclSyntax) { path.removeLast() }

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) {
            let signature = node.signature
            var text = "\(Self.staticPrefix(node.modifiers))func \(node.name.text)\(Self.compact(node.genericParameterClause))"
            text += "(\(Self.parameters(signature.parameterClause)))"
            if let effects = signature.effectSpecifiers { text += " \(Self.compact(effects))" }
            if let result = signature.returnClause { text += "->\(Self.compact(result.type))" }
            if let whereClause = node.genericWhereClause { text += " \(Self.compact(whereClause))" }
            record(text, node)
        }
        return .skipChildren
    }

    override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) {
            var text = "init\(node.optionalMark?.text ?? "")\(Self.compact(node.genericParameterClause))"
            text += "(\(Self.parameters(node.signature.parameterClause)))"
            if let effects = node.signature.effectSpecifiers { text += " \(Self.compact(effects))" }
            record(text, node)
        }
        return .skipChildren
    }

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) {
            for binding in node.bindings {
                let type = binding.typeAnnotation.map { Self.compact($0.type) } ?? "(no type written)"
                record("\(Self.staticPrefix(node.modifiers))property \(Self.compact(binding.pattern)):\(type)", binding)
            }
        }
        return .skipChildren
    }

    override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) {
            record("subscript(\(Self.parameters(node.parameterClause)))->\(Self.compact(node.returnClause.type))", node)
        }
        return .skipChildren
    }

    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) { record("typealias \(node.name.text)=\(Self.compact(node.initializer.value))", node) }
        return .skipChildren
    }

    override func visit(_ node: EnumCaseDeclSyntax) -> SyntaxVisitorContinueKind {
        if Self.isExported(node.modifiers) {
            for element in node.elements { record("case \(element.name.text)", element) }
        }
        return .skipChildren
    }

    override func visit(_ node: OperatorDeclSyntax) -> SyntaxVisitorContinueKind {
        record("operator \(node.name.text)", node)
        return .skipChildren
    }

    override func visit(_ node: PrecedenceGroupDeclSyntax) -> SyntaxVisitorContinueKind {
        record("precedencegroup \(node.name.text)", node)
        return .skipChildren
    }

    override func visit(_ node: MacroDeclSyntax) -> SyntaxVisitorContinueKind {
        record("macro \(node.name.text)", node)
        return .skipChildren
    }
}
