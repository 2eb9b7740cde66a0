// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks.
import AssignmentContract
internal import AccessControl

/// Exposes the student's `ReferenceMonitor` and `CapabilityAuthority` to the checks.
public enum StudentAdapter: AssignmentContract.AccessControlImplementation {
    public static func makeMonitor() -> any AssignmentContract.MonitorUnderTest {
        AdaptedMonitor(AccessControl.ReferenceMonitor())
    }

    public static func makeAuthority(tag: @escaping @Sendable ([Swift.UInt8]) -> [Swift.UInt8]) -> any AssignmentContract.AuthorityUnderTest {
        AdaptedAuthority(AccessControl.CapabilityAuthority(tag: tag))
    }
}

func studentLabel(_ label: AssignmentContract.LabelUnderTest) -> AccessControl.SecurityLabel {
    AccessControl.SecurityLabel(level: label.level, categories: label.categories)
}

func studentOperation(_ operation: AssignmentContract.OperationUnderTest) -> AccessControl.Operation {
    switch operation {
    case .read: .read
    case .write: .write
    case .send: .send
    case .receive: .receive
    case .wait: .wait
    case .post: .post
    case .map: .map
    case .unlink: .unlink
    }
}

func checksOperation(_ operation: AccessControl.Operation) -> AssignmentContract.OperationUnderTest {
    switch operation {
    case .read: .read
    case .write: .write
    case .send: .send
    case .receive: .receive
    case .wait: .wait
    case .post: .post
    case .map: .map
    case .unlink: .unlink
    }
}

func denial(_ record: AccessControl.AuditRecord) -> AssignmentContract.DenialUnderTest {
    AssignmentContract.DenialUnderTest(
        sequence: record.sequence, subject: record.subject, object: record.object,
        operation: checksOperation(record.operation), reasonGiven: !record.reason.isEmpty)
}

final class AdaptedMonitor: AssignmentContract.MonitorUnderTest, @unchecked Sendable {
    let base: AccessControl.ReferenceMonitor
    init(_ base: AccessControl.ReferenceMonitor) { self.base = base }
    func register(subject: Swift.String, label: AssignmentContract.LabelUnderTest) { base.register(subject: subject, label: studentLabel(label)) }
    func register(object: Swift.String, label: AssignmentContract.LabelUnderTest) { base.register(object: object, label: studentLabel(label)) }
    func unregister(subject: Swift.String) { base.unregister(subject: subject) }
    func unregister(object: Swift.String) { base.unregister(object: object) }
    func check(subject: Swift.String, object: Swift.String, operation: AssignmentContract.OperationUnderTest) -> AssignmentContract.DenialUnderTest? {
        do {
            try base.check(subject: subject, object: object, operation: studentOperation(operation))
            return nil
        } catch {
            return denial(error.record)
        }
    }
    func open(subject: Swift.String, object: Swift.String, for operation: AssignmentContract.OperationUnderTest)
        -> Swift.Result<any AssignmentContract.HandleUnderTest, AssignmentContract.HandleRefused>
    {
        do {
            return .success(AdaptedHandle(try base.open(subject: subject, object: object, for: studentOperation(operation))))
        } catch {
            return .failure(AssignmentContract.HandleRefused(denial: denial(error.record)))
        }
    }
    var auditLog: [AssignmentContract.DenialUnderTest] { base.auditLog.map(denial) }
}

struct AdaptedHandle: AssignmentContract.HandleUnderTest, @unchecked Sendable {
    let base: AccessControl.MonitoredHandle
    init(_ base: AccessControl.MonitoredHandle) { self.base = base }
    func perform(_ operation: AssignmentContract.OperationUnderTest) -> AssignmentContract.DenialUnderTest? {
        do {
            try base.perform(studentOperation(operation))
            return nil
        } catch {
            return denial(error.record)
        }
    }
}

func studentToken(_ token: AssignmentContract.TokenUnderTest) -> AccessControl.Capability {
    AccessControl.Capability(
        id: token.id, parentID: token.parentID, object: token.object,
        rights: AccessControl.Rights(rawValue: token.rights.rawValue), tag: token.tag)
}

func checksToken(_ capability: AccessControl.Capability) -> AssignmentContract.TokenUnderTest {
    AssignmentContract.TokenUnderTest(
        id: capability.id, parentID: capability.parentID, object: capability.object,
        rights: AssignmentContract.RightsUnderTest(rawValue: capability.rights.rawValue), tag: capability.tag)
}

func refusal(_ error: AccessControl.CapabilityError) -> AssignmentContract.RefusalUnderTest {
    switch error {
    case .forged: .forged
    case .revoked: .revoked
    case .wrongObject: .wrongObject
    case .insufficientRights: .insufficientRights
    case .amplification: .amplification
    }
}

final class AdaptedAuthority: AssignmentContract.AuthorityUnderTest, @unchecked Sendable {
    let base: AccessControl.CapabilityAuthority
    init(_ base: AccessControl.CapabilityAuthority) { self.base = base }
    func mint(object: Swift.String, rights: AssignmentContract.RightsUnderTest) -> AssignmentContract.TokenUnderTest {
        checksToken(base.mint(object: object, rights: AccessControl.Rights(rawValue: rights.rawValue)))
    }
    func authorize(_ token: AssignmentContract.TokenUnderTest, _ rights: AssignmentContract.RightsUnderTest, on object: Swift.String) -> AssignmentContract.RefusalUnderTest? {
        do {
            try base.authorize(studentToken(token), AccessControl.Rights(rawValue: rights.rawValue), on: object)
            return nil
        } catch {
            return refusal(error)
        }
    }
    func delegate(_ token: AssignmentContract.TokenUnderTest, rights: AssignmentContract.RightsUnderTest) -> Swift.Result<AssignmentContract.TokenUnderTest, AssignmentContract.RefusalUnderTest> {
        do {
            return .success(checksToken(try base.delegate(studentToken(token), rights: AccessControl.Rights(rawValue: rights.rawValue))))
        } catch {
            return .failure(refusal(error))
        }
    }
    func revoke(_ token: AssignmentContract.TokenUnderTest) -> AssignmentContract.RefusalUnderTest? {
        do {
            try base.revoke(studentToken(token))
            return nil
        } catch {
            return refusal(error)
        }
    }
}
