import Foundation
import Testing

@testable import SecureIPC

struct ReferenceMonitorTests {
    static let low = SecurityLabel(.confidential)
    static let high = SecurityLabel(.secret)

    static func monitor() -> ReferenceMonitor {
        let monitor = ReferenceMonitor(policy: BellLaPadulaPolicy())
        monitor.register(Subject(id: "analyst", label: high))
        monitor.register(Subject(id: "clerk", label: low))
        monitor.register(IPCObject(id: "/report", kind: .sharedRegion, label: high))
        monitor.register(IPCObject(id: "/inbox", kind: .messageQueue, label: low))
        monitor.register(IPCObject(id: "/slots", kind: .semaphore, label: low))
        monitor.register(IPCObject(id: "/chat", kind: .channel, label: high))
        return monitor
    }

    func allowed(_ monitor: ReferenceMonitor, _ subject: String, _ object: String, _ operation: IPCOperation) -> Bool {
        (try? monitor.check(subjectID: subject, objectID: object, operation: operation)) != nil
    }

    @Test func bellLaPadulaNoReadUpNoWriteDown() {
        let monitor = Self.monitor()
        #expect(allowed(monitor, "analyst", "/report", .read))
        #expect(allowed(monitor, "analyst", "/inbox", .read), "read down is allowed")
        #expect(!allowed(monitor, "analyst", "/inbox", .receive), "receiving dequeues, which writes down")
        #expect(!allowed(monitor, "clerk", "/report", .read), "no read up")
        #expect(allowed(monitor, "clerk", "/report", .write), "write up is allowed")
        #expect(!allowed(monitor, "analyst", "/inbox", .send), "no write down")
        #expect(allowed(monitor, "clerk", "/inbox", .send))
        #expect(allowed(monitor, "clerk", "/inbox", .receive))
        #expect(!allowed(monitor, "analyst", "/slots", .post), "no write down through a semaphore")
        #expect(!allowed(monitor, "clerk", "/chat", .receive))
        #expect(allowed(monitor, "analyst", "/chat", .send))
    }

    @Test func categoriesMustBeDominated() {
        let monitor = ReferenceMonitor(policy: BellLaPadulaPolicy())
        monitor.register(Subject(id: "crypto", label: SecurityLabel(.topSecret, categories: ["crypto"])))
        monitor.register(IPCObject(id: "/nuclear", kind: .sharedRegion, label: SecurityLabel(.secret, categories: ["nuclear"])))
        #expect(!allowed(monitor, "crypto", "/nuclear", .read))
    }

    @Test func defaultDenyAndAuditLog() {
        let monitor = Self.monitor()
        #expect(!allowed(monitor, "intruder", "/report", .read))
        #expect(!allowed(monitor, "analyst", "/unknown", .read))
        #expect(!allowed(monitor, "clerk", "/report", .read))
        let log = monitor.auditLog
        #expect(log.map(\.subjectID) == ["intruder", "analyst", "clerk"])
        #expect(log[0].reason.contains("unknown subject"))
        #expect(log[1].reason.contains("unknown object"))
        #expect(log[2].reason.contains("no read up"))
        #expect(log.map(\.sequence) == [0, 1, 2])
        #expect(allowed(monitor, "analyst", "/report", .read))
        #expect(monitor.auditLog.count == 3, "allowed operations are not logged as denials")
    }

    /// An open handle is not a pass: relabelling or unregistering takes effect on the next operation.
    @Test func everyOperationIsCheckedNotOnlyOpen() throws {
        let monitor = Self.monitor()
        let handle = try monitor.open(subjectID: "analyst", objectID: "/report", for: .read)
        var reads = 0
        try handle.perform(.read) { reads += 1 }
        monitor.register(IPCObject(id: "/report", kind: .sharedRegion, label: SecurityLabel(.topSecret)))
        #expect(throws: AccessDenied.self) { try handle.perform(.read) { reads += 1 } }
        monitor.register(IPCObject(id: "/report", kind: .sharedRegion, label: Self.high))
        try handle.perform(.read) { reads += 1 }
        monitor.unregister(subjectID: "analyst")
        #expect(throws: AccessDenied.self) { try handle.perform(.read) { reads += 1 } }
        #expect(reads == 2)
        #expect(monitor.auditLog.count == 2)
    }
}

struct CapabilityTests {
    @Test func genuineCapabilityAuthorizesOnlyItsRightsAndObject() throws {
        let authority = CapabilityAuthority()
        let capability = authority.mint(objectID: "/queue", rights: [.read, .delegate])
        try authority.authorize(capability, .read, on: "/queue")
        #expect(throws: CapabilityError.insufficientRights(held: 5, needed: 2)) { try authority.authorize(capability, .write, on: "/queue") }
        #expect(throws: CapabilityError.wrongObject) { try authority.authorize(capability, .read, on: "/other") }
    }

    @Test func forgedCapabilitiesAreRejected() throws {
        let authority = CapabilityAuthority()
        let capability = authority.mint(objectID: "/queue", rights: .read)
        #expect(throws: CapabilityError.forged) { try authority.authorize(capability.forged(rights: .all), .write, on: "/queue") }
        let retargeted = Capability(id: capability.id, parentID: nil, objectID: "/other", rights: .read, tag: capability.tag)
        #expect(throws: CapabilityError.forged) { try authority.validate(retargeted) }
        var badTag = capability.tag
        badTag[0] ^= 1
        #expect(throws: CapabilityError.forged) {
            try authority.validate(Capability(id: capability.id, parentID: nil, objectID: "/queue", rights: .read, tag: badTag))
        }
        // A token from another authority is not genuine here.
        #expect(throws: CapabilityError.forged) { try authority.validate(CapabilityAuthority().mint(objectID: "/queue", rights: .read)) }
    }

    @Test func delegationCanOnlyShrinkRights() throws {
        let authority = CapabilityAuthority()
        let root = authority.mint(objectID: "/region", rights: .all)
        let reader = try authority.delegate(root, rights: [.read, .delegate])
        try authority.authorize(reader, .read, on: "/region")
        #expect(throws: CapabilityError.amplification) { try authority.delegate(reader, rights: [.read, .write]) }
        let leaf = try authority.delegate(reader, rights: .read)
        #expect(throws: CapabilityError.insufficientRights(held: 1, needed: 4)) { try authority.delegate(leaf, rights: .read) }
        #expect(leaf.parentID == reader.id)
    }

    @Test func revocationRemovesEverythingDerived() throws {
        let authority = CapabilityAuthority()
        let root = authority.mint(objectID: "/region", rights: .all)
        let child = try authority.delegate(root, rights: [.read, .write, .delegate])
        let grandchild = try authority.delegate(child, rights: [.read, .delegate])
        let sibling = try authority.delegate(root, rights: .read)
        try authority.revoke(child)
        #expect(throws: CapabilityError.revoked) { try authority.authorize(child, .read, on: "/region") }
        #expect(throws: CapabilityError.revoked) { try authority.authorize(grandchild, .read, on: "/region") }
        #expect(throws: CapabilityError.revoked) { try authority.delegate(grandchild, rights: .read) }
        try authority.authorize(sibling, .read, on: "/region")
        try authority.authorize(root, .write, on: "/region")
        try authority.revoke(root)
        #expect(throws: CapabilityError.revoked) { try authority.authorize(sibling, .read, on: "/region") }
    }
}
