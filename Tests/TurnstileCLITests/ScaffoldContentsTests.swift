import Foundation
import Grading
import Testing

/// Nothing of the answer leaves the grader: a scaffolded repository of every assignment on disk
/// holds the template, the runtime, CheckKit, the contract, the adapter and the public checks,
/// and nothing of the solution, the bug corpus, the hidden checks or the mutants.
@Suite struct ScaffoldContentsTests {
    static func files(under root: URL) -> [URL: String] {
        var found: [URL: String] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard !url.path.contains("/.git/"), (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            found[url] = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        return found
    }

    /// Lines of the solution that the template lacks: the answer, line by line.
    /// The solution's lines that are answers: long enough to mean something, and not already
    /// published — found nowhere in the template or the published course files, neither as a
    /// line nor inside one (a template's hint on how to reach an atomic word, a public peer
    /// reading a record's length field are the specification, not the solution).
    static func answerLines(solution: String, template: String) -> [String] {
        return solution.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.count >= 24 && !$0.hasPrefix("//") && !template.contains($0) }
    }

    @Test func everyAssignmentsScaffoldHoldsNoAnswers() throws {
        let layout = try CourseLayout.locate()
        let ids = try FileManager.default.contentsOfDirectory(atPath: layout.path("Assignments").path)
            .filter { FileManager.default.fileExists(atPath: layout.path("Assignments/\($0)/assignment.json").path) }.sorted()
        #expect(ids.count >= 3)
        for id in ids {
            let manifest = try AssignmentCatalog(layout: layout).manifest(id)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(id)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try Scaffolder(layout: layout, manifest: manifest).scaffold(into: directory)
            let scaffold = Self.files(under: directory)
            let contents = Array(scaffold.values)
            #expect(!scaffold.keys.contains { $0.path.contains("/Corpus/") || $0.path.contains("BugCorpus") }, "\(id): a corpus file")
            #expect(!scaffold.keys.contains { $0.lastPathComponent == "mutants.json" }, "\(id): mutants")
            #expect(!contents.contains { $0.contains("HiddenChecks") }, "\(id): hidden checks")
            #expect(!contents.contains { $0.contains("CorpusCase") || $0.contains("BugCorpus") }, "\(id): corpus code")
            for hidden in Self.files(under: layout.path(manifest.hiddenChecks)).values {
                #expect(!contents.contains(hidden), "\(id): a hidden check file")
            }
            // The reference library a hidden peer uses (a ring's other end) is the answer itself.
            for module in manifest.peerModules ?? [] where !(manifest.programModules ?? []).contains(module) {
                #expect(!scaffold.keys.contains { $0.path.contains("/\(module)/") }, "\(id): the peer's module \(module)")
                for answer in Self.files(under: layout.runtimeSources.appendingPathComponent(module)).values {
                    #expect(!contents.contains(answer), "\(id): a file of the peer's module \(module)")
                }
            }
            // A student file the template gives complete (the covert channel's `LockClient`, the
            // service's wire format) is the same in the solution: not an answer. Validation still
            // proves the template as a whole loses points.
            let given = Set(
                try manifest.studentFiles.filter { file in
                    let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)
                    let template = try String(contentsOf: layout.path(manifest.templateDirectory).appendingPathComponent(file), encoding: .utf8)
                    return solution == template
                }.map { try String(contentsOf: layout.path(manifest.templateDirectory).appendingPathComponent($0), encoding: .utf8) })
            #expect(given.count < manifest.studentFiles.count, "\(id): every student file is given complete")
            // Correct alternatives are answers too: no file of theirs is in the scaffold.
            if let alternatives = manifest.alternativesDirectory {
                for answer in Self.files(under: layout.path(alternatives)).values where !given.contains(answer) {
                    #expect(!contents.contains(answer), "\(id): a correct alternative's file")
                }
            }
            for file in manifest.studentFiles {
                let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(file), encoding: .utf8)
                let template = try String(contentsOf: layout.path(manifest.templateDirectory).appendingPathComponent(file), encoding: .utf8)
                if solution == template { continue }
                // Lines the public checks, contract or adapter also hold (`let right = (seat + 1) % seats`)
                // are common knowledge, not answers.
                // The vendored runtime is published too (a `read` loop's EINTR retry in PeerKit).
                let published = ([manifest.publicChecks, manifest.contract, manifest.adapter, manifest.program].compactMap { $0 }
                    + CourseLayout.vendoredModules(for: manifest, includeHidden: false).map { "Sources/\($0)" })
                    .flatMap { Self.files(under: layout.path($0)).values }.joined(separator: "\n")
                let answers = Self.answerLines(solution: solution, template: template + "\n" + published)
                #expect(!answers.isEmpty, "\(id): the solution of \(file) must differ from its template")
                for line in answers {
                    #expect(!contents.contains { $0.contains(line) }, "\(id): the solution's line `\(line)` is in the scaffold")
                }
            }
            // What must be there: the template, the contract and adapter (or a process
            // assignment's program main), the public checks.
            if manifest.isProcess {
                #expect(scaffold.keys.contains { $0.path.hasSuffix("Program/main.swift") })
            } else {
                #expect(scaffold.keys.contains { $0.path.hasSuffix("Contract/Contract.swift") })
                #expect(scaffold.keys.contains { $0.path.hasSuffix("Adapter/Adapter.swift") })
            }
            #expect(scaffold.keys.contains { $0.path.hasSuffix("Checks/Public/PublicChecks.swift") })
        }
    }
}
