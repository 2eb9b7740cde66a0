import Foundation
import Grading
import Testing

/// The access-control checks are attacks, and an attack check that only looks for refusals is
/// passed by code that refuses everything. Every check also takes the honest path its attack
/// must not break, so the two extremes — a monitor and authority that deny everything, and ones
/// that allow everything — each lose every scored check.
@Suite(.serialized)
struct AccessControlExtremesTests {
    static let monitor = "Sources/AccessControl/ReferenceMonitor.swift"
    static let authority = "Sources/AccessControl/CapabilityAuthority.swift"

    static var denyEverything: [String: Any] {
        [
        "id": "deny-everything", "description": "MUTANT that refuses every operation and every token",
        "edits": [
            ["file": monitor,
             "find": "        guard let reason = denialReason(subject: subject, object: object, operation: operation) else { return }\n",
             "replace": "        let reason = \"denied\" // MUTANT\n"],
            ["file": authority,
             "find": "    public func validate(_ capability: Capability) throws(CapabilityError) {\n",
             "replace": "    public func validate(_ capability: Capability) throws(CapabilityError) {\n        if capability.rights.rawValue < 255 { throw .forged } // MUTANT\n"],
            ["file": authority,
             "find": "    public func revoke(_ capability: Capability) throws(CapabilityError) {\n",
             "replace": "    public func revoke(_ capability: Capability) throws(CapabilityError) {\n        if capability.rights.rawValue < 255 { throw .forged } // MUTANT\n"],
        ],
        ]
    }

    static var allowEverything: [String: Any] {
        [
        "id": "allow-everything", "description": "MUTANT that allows every operation and every token",
        "edits": [
            ["file": monitor,
             "find": "        guard let reason = denialReason(subject: subject, object: object, operation: operation) else { return }\n",
             "replace": "        guard let reason = Optional<String>.none else { return } // MUTANT\n"],
            ["file": authority,
             "find": "    public func validate(_ capability: Capability) throws(CapabilityError) {\n",
             "replace": "    public func validate(_ capability: Capability) throws(CapabilityError) {\n        if capability.rights.rawValue < 255 { return } // MUTANT\n"],
            ["file": authority,
             "find": "    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {\n",
             "replace": "    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {\n        if capability.rights.rawValue < 255 { return } // MUTANT\n"],
            ["file": authority,
             "find": "        guard parent.rights.contains(.delegate) else { throw .insufficientRights }\n        guard parent.rights.isSuperset(of: rights) else { throw .amplification }\n",
             "replace": "        // MUTANT: anything may be delegated.\n"],
            ["file": authority,
             "find": "    public func revoke(_ capability: Capability) throws(CapabilityError) {\n",
             "replace": "    public func revoke(_ capability: Capability) throws(CapabilityError) {\n        if capability.rights.rawValue < 255 { return } // MUTANT\n"],
        ],
        ]
    }

    @Test func denyingEverythingAndAllowingEverythingEachLoseEveryScoredCheck() throws {
        let fixture = try CourseFixture()
        let mutantsURL = fixture.course.path("grading/access-control/mutants.json")
        var mutants = try JSONSerialization.jsonObject(with: Data(contentsOf: mutantsURL)) as! [[String: Any]]
        mutants += [Self.denyEverything, Self.allowEverything]
        try JSONSerialization.data(withJSONObject: mutants).write(to: mutantsURL)
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest("access-control")
        var validator = AssignmentValidator(
            layout: fixture.course, manifest: manifest,
            checkProcess: CheckProcess(isolation: .none, policy: CheckProcess.policy(for: manifest.limits)),
            workspaceDirectory: fixture.path("ws"))
        validator.only = ["deny-everything", "allow-everything"]
        let results = try validator.validate()
        #expect(results.map(\.variant).sorted() == ["allow-everything", "deny-everything"])
        let scored = Set(manifest.checks.filter { $0.points > 0 }.map(\.id))
        for result in results {
            #expect(result.acceptable, "\(result.variant): \(result.problem ?? "")")
            #expect(result.score == 0, "\(result.variant) scored \(result.score)")
            let passed = result.verdicts.filter { scored.contains($0.0) && $0.1 == .passed }.map(\.0)
            #expect(passed.isEmpty, "\(result.variant) passed \(passed)")
        }
    }
}
