import SwiftParser
import SwiftSyntax

/// The declarations a template gives inside student files and a submission must keep as they
/// are (the manifest's `givenDeclarations`): compared token for token, so comments and layout
/// may change but no body, type, attribute or member. Without it a submission could rewrite
/// the grader's own vocabulary in its file — make the shared mapping's `load` hide an attacker's
/// rollback from the student's region, say — and change its score.
public struct GivenDeclarations: Sendable {
    /// Each given name's tokens in the template.
    let expected: [String: [String]]

    /// The given `names` as the template's `sources` declare them.
    /// - Throws: ``GradingError/invalidManifest(_:reason:)`` naming a given type the template lacks.
    public init(names: [String], templateSources: [String], assignment: String) throws {
        var found: [String: [String]] = [:]
        for source in templateSources {
            for (name, tokens) in Self.declarations(in: source) where names.contains(name) { found[name] = tokens }
        }
        if let missing = names.first(where: { found[$0] == nil }) {
            throw GradingError.invalidManifest(assignment, reason: "givenDeclarations names \(missing), which no template file declares at the top level")
        }
        expected = found
    }

    /// Top-level type declarations of `source`, by name, as their tokens (trivia left out).
    static func declarations(in source: String) -> [(String, [String])] {
        Parser.parse(source: source).statements.compactMap { item -> (String, [String])? in
            let decl = item.item
            let name: String? =
                if let type = decl.as(StructDeclSyntax.self) { type.name.text }
                else if let type = decl.as(EnumDeclSyntax.self) { type.name.text }
                else if let type = decl.as(ClassDeclSyntax.self) { type.name.text }
                else if let type = decl.as(ProtocolDeclSyntax.self) { type.name.text }
                else if let type = decl.as(ActorDeclSyntax.self) { type.name.text }
                else { nil }
            guard let name else { return nil }
            return (name, decl.tokens(viewMode: .sourceAccurate).map(\.text))
        }
    }

    /// Problems with the student files' `sources` (path and text): a given type missing, declared
    /// twice, or changed. Empty when every given type is there exactly as given.
    public func problems(in sources: [(file: String, text: String)]) -> [String] {
        var seen: [String: [(String, [String])]] = [:]
        for (file, text) in sources {
            for (name, tokens) in Self.declarations(in: text) where expected[name] != nil {
                seen[name, default: []].append((file, tokens))
            }
        }
        var problems: [String] = []
        for name in expected.keys.sorted() {
            let copies = seen[name] ?? []
            if copies.isEmpty {
                problems.append("\(name) is given by the template and must stay in your files as it is; copy it back from the template")
            } else if copies.count > 1 {
                problems.append("\(name) is declared \(copies.count) times; keep only the template's one")
            } else if copies[0].1 != expected[name] {
                problems.append("\(copies[0].0): \(name) is given by the template and must not change (comments and layout may); copy it back from the template")
            }
        }
        return problems
    }
}
