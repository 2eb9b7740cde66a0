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


/// Identities are exactly 16 random bytes, so a token whose id or parent is any other length is
/// forged; the tagged bytes are fixed-width (version, id, parent flag and parent or zeros,
/// rights) followed by the object, the only variable-length field, last. Revocation marks the
/// token; a check walks the recorded parents.
public final class CapabilityAuthority: @unchecked Sendable {
    static let idSize = 16
    private let tagFunction: @Sendable ([UInt8]) -> [UInt8]
    private let lock = Lock(name: "authority")
    private let parents = Shared<[[UInt8]: [UInt8]?]>([:], name: "parents")
    private let revoked = Shared<Set<[UInt8]>>([], name: "revoked")

    /// Creates an authority that tags tokens with `tag`.
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        tagFunction = tag
    }

    private static func wellFormed(_ c: Capability) -> Bool {
        c.id.count == idSize && (c.parentID?.count ?? idSize) == idSize
    }

    private func tag(_ c: Capability) -> [UInt8] {
        precondition(Self.wellFormed(c))
        var bytes: [UInt8] = [0x41, 0x43, 0x01]
        bytes += c.id
        if let parent = c.parentID { bytes += [1] + parent } else { bytes += [0] + Array(repeating: 0, count: Self.idSize) }
        bytes.append(c.rights.rawValue)
        bytes += Array(c.object.utf8)
        return tagFunction(bytes)
    }

    private static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    private func genuine(_ c: Capability) -> Bool {
        Self.wellFormed(c) && Self.same(tag(c), c.tag)
    }

    private func issue(parent: [UInt8]?, object: String, rights: Rights) -> Capability {
        var generator = SystemRandomNumberGenerator()
        var id: [UInt8] = []
        lock.withLock {
            repeat {
                id = (0..<Self.idSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } while parents.load()[id] != nil
            var all = parents.load()
            all[id] = .some(parent)
            parents.store(all)
        }
        var c = Capability(id: id, parentID: parent, object: object, rights: rights, tag: [])
        c.tag = tag(c)
        return c
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        issue(parent: nil, object: object, rights: rights)
    }

    /// Checks that `capability` is genuine and live.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        guard genuine(capability) else { throw .forged }
        lock.lock()
        defer { lock.unlock() }
        let all = parents.load()
        guard let recordedParent = all[capability.id], recordedParent == capability.parentID else { throw .forged }
        let dead = revoked.load()
        var cursor: [UInt8]? = capability.id
        while let id = cursor {
            if dead.contains(id) { throw .revoked }
            cursor = all[id] ?? nil
        }
    }

    /// Checks that `capability` grants `rights` on `object`.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        try validate(capability)
        guard capability.object == object else { throw .wrongObject }
        guard capability.rights.isSuperset(of: rights) else { throw .insufficientRights }
    }

    /// Derives a capability for the same object with `rights`.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        try validate(parent)
        guard parent.rights.contains(.delegate) else { throw .insufficientRights }
        guard parent.rights.isSuperset(of: rights) else { throw .amplification }
        return issue(parent: parent.id, object: parent.object, rights: rights)
    }

    /// Revokes `capability` and so, transitively, everything derived from it.
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        guard genuine(capability) else { throw .forged }
        lock.lock()
        defer { lock.unlock() }
        guard parents.load()[capability.id] != nil else { throw .forged }
        revoked.store(revoked.load().union([capability.id]))
    }
}
