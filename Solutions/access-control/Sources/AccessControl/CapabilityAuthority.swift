import TurnstileRuntime

/// Rights a capability grants on its object.
public struct Rights: OptionSet, Hashable, Sendable {
    /// The bits.
    public let rawValue: UInt8
    /// Creates rights from bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Observe the object.
    public static let read = Rights(rawValue: 1 << 0)
    /// Alter the object.
    public static let write = Rights(rawValue: 1 << 1)
    /// Derive capabilities with at most these rights.
    public static let delegate = Rights(rawValue: 1 << 2)
    /// Every right.
    public static let all: Rights = [.read, .write, .delegate]
}

/// A token naming an object and rights on it. Anyone may hold, copy or build one; only the
/// issuing ``CapabilityAuthority`` can make a `tag` that matches the other fields.
public struct Capability: Hashable, Sendable {
    /// Its identity, chosen by the authority.
    public var id: [UInt8]
    /// The identity of the capability it was delegated from; nil for one minted directly.
    public var parentID: [UInt8]?
    /// The object it names.
    public var object: String
    /// What it grants.
    public var rights: Rights
    /// The authority's tag over the other fields.
    public var tag: [UInt8]

    /// Creates a token from its fields (the authority's `mint` and `delegate` make genuine ones).
    public init(id: [UInt8], parentID: [UInt8]?, object: String, rights: Rights, tag: [UInt8]) {
        self.id = id
        self.parentID = parentID
        self.object = object
        self.rights = rights
        self.tag = tag
    }
}

/// Why a capability was refused.
public enum CapabilityError: Error, Hashable, Sendable {
    /// The tag does not match the fields, or this authority never issued the token.
    case forged
    /// It, or a capability it was derived from, was revoked.
    case revoked
    /// It names another object than the one asked for.
    case wrongObject
    /// It lacks a right the operation needs (or `delegate`, to delegate).
    case insufficientRights
    /// Delegation asked for a right the parent does not hold.
    case amplification
}

/// Issues, checks, delegates and revokes capabilities.
///
/// Each token's fields are encoded unambiguously (a domain string, then every field with its
/// length, so no byte can move from one field to another) and bound by the tag function the
/// authority was given; a tag is compared in time independent of where it differs. The
/// authority records each identity it issued with its parent, so a check walks the recorded
/// chain (never the chain a token claims) and revocation of any ancestor reaches every
/// descendant. Thread-safe: one `Lock` guards the records (blocking only on it).
public final class CapabilityAuthority: @unchecked Sendable {
    // Safety: every `Shared` here is touched only while holding `lock`.
    private let tagFunction: @Sendable ([UInt8]) -> [UInt8]
    private let lock = Lock(name: "authority")
    private let nextID = Shared(0, name: "nextID")
    private let parents = Shared<[[UInt8]: [UInt8]?]>([:], name: "parents")
    private let revoked = Shared<Set<[UInt8]>>([], name: "revoked")

    /// Creates an authority that tags tokens with `tag`, a keyed function only it may call
    /// (in production an HMAC under the authority's secret key).
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        tagFunction = tag
    }

    /// The bytes a token's tag covers.
    static func encoded(id: [UInt8], parentID: [UInt8]?, object: String, rights: Rights) -> [UInt8] {
        func field(_ bytes: [UInt8]) -> [UInt8] {
            let count = UInt32(bytes.count)
            return [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)] + bytes
        }
        var bytes = field(Array("access-control.capability.v1".utf8)) + field(id)
        if let parentID { bytes += [1] + field(parentID) } else { bytes += [0] }
        return bytes + field(Array(object.utf8)) + [rights.rawValue]
    }

    private func tag(of capability: Capability) -> [UInt8] {
        tagFunction(Self.encoded(id: capability.id, parentID: capability.parentID, object: capability.object, rights: capability.rights))
    }

    private static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private func issue(parentID: [UInt8]?, object: String, rights: Rights) -> Capability {
        let id: [UInt8] = lock.withLock {
            let number = nextID.load()
            nextID.store(number + 1)
            let id = (0..<8).map { UInt8(truncatingIfNeeded: number >> (8 * (7 - $0))) }
            var all = parents.load()
            all[id] = .some(parentID)
            parents.store(all)
            return id
        }
        let unsigned = Capability(id: id, parentID: parentID, object: object, rights: rights, tag: [])
        return Capability(id: id, parentID: parentID, object: object, rights: rights, tag: tag(of: unsigned))
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        issue(parentID: nil, object: object, rights: rights)
    }

    /// Checks that `capability` is genuine and live: its tag matches, this authority issued it,
    /// and neither it nor any recorded ancestor was revoked.
    /// - Throws: ``CapabilityError/forged`` or ``CapabilityError/revoked``.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        guard Self.sameBytes(tag(of: capability), capability.tag) else { throw .forged }
        lock.lock()
        defer { lock.unlock() }
        let recorded = parents.load()
        guard recorded[capability.id] != nil else { throw .forged }
        let dead = revoked.load()
        var current: [UInt8]? = capability.id
        while let id = current {
            if dead.contains(id) { throw .revoked }
            current = recorded[id] ?? nil
        }
    }

    /// Checks that `capability` grants `rights` on `object`.
    /// - Throws: ``CapabilityError``.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        try validate(capability)
        guard capability.object == object else { throw .wrongObject }
        guard capability.rights.isSuperset(of: rights) else { throw .insufficientRights }
    }

    /// Derives a capability for the same object with `rights`, which must be among the parent's;
    /// the parent needs the `delegate` right.
    /// - Throws: ``CapabilityError``.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        try validate(parent)
        guard parent.rights.contains(.delegate) else { throw .insufficientRights }
        guard parent.rights.isSuperset(of: rights) else { throw .amplification }
        return issue(parentID: parent.id, object: parent.object, rights: rights)
    }

    /// Revokes `capability` and so, transitively, everything derived from it.
    /// - Throws: ``CapabilityError/forged`` if the token is not genuine (nothing is revoked).
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        guard Self.sameBytes(tag(of: capability), capability.tag) else { throw .forged }
        lock.lock()
        defer { lock.unlock() }
        guard parents.load()[capability.id] != nil else { throw .forged }
        revoked.store(revoked.load().union([capability.id]))
    }
}
