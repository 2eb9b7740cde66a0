import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The public checks, the XCTest way, and the vocabulary the hidden checks share: each helper
/// names the attack it tries, so a failure says what an attacker got away with.
class AccessControlChecks: CheckCase {
    /// Fails unless `monitor` allows the operation (the honest path every attack check also takes,
    /// so a monitor that denies everything passes none).
    func expectAllowed(_ monitor: any MonitorUnderTest, _ subject: String, _ operation: OperationUnderTest, _ object: String, _ situation: String) {
        if let denial = monitor.check(subject: subject, object: object, operation: operation) {
            CheckFail("\(situation): \(subject) was denied \(operation.rawValue) on \(object) (audit record \(denial)), which the policy allows")
        }
    }

    /// Fails unless `monitor` denies the operation and the denial names the request.
    func expectDenied(_ monitor: any MonitorUnderTest, _ subject: String, _ operation: OperationUnderTest, _ object: String, attack: String) {
        guard let denial = monitor.check(subject: subject, object: object, operation: operation) else {
            CheckFail("\(attack): \(subject) was allowed to \(operation.rawValue) \(object)")
            return
        }
        CheckAssert(
            denial.subject == subject && denial.object == object && denial.operation == operation,
            "\(attack): denied, but the audit record says \(denial), not \(subject) \(operation.rawValue) \(object)")
    }

    /// Fails unless `authority` accepts `token` for `rights` on `object`.
    func expectAuthorized(_ authority: any AuthorityUnderTest, _ token: TokenUnderTest, _ rights: RightsUnderTest, on object: String, _ situation: String) {
        if let refusal = authority.authorize(token, rights, on: object) {
            CheckFail("\(situation): a genuine token with \(token.rights) on \(token.object) was refused for \(rights) on \(object) (\(refusal.rawValue))")
        }
    }

    /// Fails unless `authority` refuses `token` for `rights` on `object`.
    func expectRefused(_ authority: any AuthorityUnderTest, _ token: TokenUnderTest, _ rights: RightsUnderTest, on object: String, attack: String) {
        if authority.authorize(token, rights, on: object) == nil {
            CheckFail("\(attack): the token was accepted for \(rights) on \(object)")
        }
    }

    /// Delegates, failing the check if a delegation the rules allow is refused.
    func delegated(_ authority: any AuthorityUnderTest, _ parent: TokenUnderTest, _ rights: RightsUnderTest, _ situation: String) -> TokenUnderTest? {
        switch authority.delegate(parent, rights: rights) {
        case .success(let child):
            CheckAssert(child.rights == rights && child.object == parent.object,
                        "\(situation): delegating \(rights) on \(parent.object) gave a token with \(child.rights) on \(child.object)")
            return child
        case .failure(let refusal):
            CheckFail("\(situation): delegating \(rights) from a token with \(parent.rights) was refused (\(refusal.rawValue))")
            return nil
        }
    }

    /// One subject at level 2 {crypto} and objects below, at and above it.
    func bellLaPadulaBasics() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "analyst", label: LabelUnderTest(2, ["crypto"]))
        monitor.register(object: "report", label: LabelUnderTest(1))
        monitor.register(object: "plans", label: LabelUnderTest(2, ["crypto"]))
        monitor.register(object: "keys", label: LabelUnderTest(3, ["crypto"]))
        expectAllowed(monitor, "analyst", .read, "report", "reading down")
        expectAllowed(monitor, "analyst", .read, "plans", "reading at the same label")
        expectAllowed(monitor, "analyst", .receive, "plans", "receiving at the same label")
        expectAllowed(monitor, "analyst", .send, "keys", "sending up")
        expectDenied(monitor, "analyst", .read, "keys", attack: "read up: level 2 read a level-3 object")
        expectDenied(monitor, "analyst", .write, "report", attack: "write down: level 2 wrote a level-1 object")
        let log = monitor.auditLog
        CheckAssertEqual(log.count, 2, "two denials, two audit records: the log holds \(log)")
    }

    /// A token minted, used, delegated with fewer rights, and the delegated one revoked.
    func capabilityBasics() {
        let authority = Submission.makeAuthority()
        let root = authority.mint(object: "queue", rights: .all)
        expectAuthorized(authority, root, [.read, .write], on: "queue", "a freshly minted token")
        guard let reader = delegated(authority, root, .read, "a read-only copy for a reader") else { return }
        expectAuthorized(authority, reader, .read, on: "queue", "the delegated read-only token")
        expectRefused(authority, reader, .write, on: "queue", attack: "a read-only token used to write")
        CheckAssert(authority.revoke(reader) == nil, "revoking a genuine delegated token was refused")
        expectRefused(authority, reader, .read, on: "queue", attack: "a token used after it was revoked")
        expectAuthorized(authority, root, .read, on: "queue", "the parent after its child was revoked")
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "bell-lapadula-basics", "one subject reads down and at its label, sends up; read up and write down are denied",
                explanation: "Bell-LaPadula: to observe, the subject's label must dominate the object's; to alter, the object's must dominate the subject's.",
                points: 10, property: .informationFlow, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                AccessControlChecks.bellLaPadulaBasics),
            check(
                "capability-basics", "mint, use, delegate read-only, revoke the delegated token",
                explanation: "a token grants exactly its rights on exactly its object until it is revoked.",
                points: 10, property: .attenuation, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                AccessControlChecks.capabilityBasics),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { AccessControlChecks.checks }
}
