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


/// Random 16-byte identities; the tag covers a type-length-value encoding; revocation is eager:
/// revoking walks the recorded children and marks the whole subtree dead.
public final class CapabilityAuthority: @unchecked Sendable {
    private let tagFunction: @Sendable ([UInt8]) -> [UInt8]
    private let lock = Lock(name: "authority")
    private let parentOf = Shared<[[UInt8]: [UInt8]]>([:], name: "parentOf")
    private let roots = Shared<Set<[UInt8]>>([], name: "roots")
    private let childrenOf = Shared<[[UInt8]: [[UInt8]]]>([:], name: "children")
    private let dead = Shared<Set<[UInt8]>>([], name: "dead")

    /// Creates an authority that tags tokens with `tag`.
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        tagFunction = tag
    }

    private static func tlv(_ type: UInt8, _ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [type]
        let length = UInt64(value.count)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        return out + value
    }

    private func computeTag(_ c: Capability) -> [UInt8] {
        var bytes = Self.tlv(0x01, c.id)
        if let parent = c.parentID { bytes += Self.tlv(0x02, parent) }
        bytes += Self.tlv(0x03, Array(c.object.utf8))
        bytes += Self.tlv(0x04, [c.rights.rawValue])
        return tagFunction(bytes)
    }

    private static func equalTags(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var acc = a.count == b.count ? 0 : 1
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            acc |= Int(x ^ y)
        }
        return acc == 0
    }

    private func newID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let a = generator.next() as UInt64, b = generator.next() as UInt64
        return (0..<8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) }
    }

    private func issue(parent: [UInt8]?, object: String, rights: Rights) -> Capability {
        let id = newID()
        lock.withLock {
            if let parent {
                var p = parentOf.load(); p[id] = parent; parentOf.store(p)
                var c = childrenOf.load(); c[parent, default: []].append(id); childrenOf.store(c)
                // A parent revoked since it was validated takes its new child with it.
                if dead.load().contains(parent) { dead.store(dead.load().union([id])) }
            } else {
                roots.store(roots.load().union([id]))
            }
        }
        var token = Capability(id: id, parentID: parent, object: object, rights: rights, tag: [])
        token.tag = computeTag(token)
        return token
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        issue(parent: nil, object: object, rights: rights)
    }

    /// Checks that `capability` is genuine and live.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        guard Self.equalTags(computeTag(capability), capability.tag) else { throw .forged }
        lock.lock()
        defer { lock.unlock() }
        guard roots.load().contains(capability.id) || parentOf.load()[capability.id] != nil else { throw .forged }
        if dead.load().contains(capability.id) { throw .revoked }
    }

    /// Checks that `capability` grants `rights` on `object`.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        try validate(capability)
        // Rights first, then the object: both are refusals the README names.
        if !rights.subtracting(capability.rights).isEmpty { throw .insufficientRights }
        if capability.object != object { throw .wrongObject }
    }

    /// Derives a capability for the same object with `rights`.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        try validate(parent)
        // Without the delegate right any delegation would amplify what the holder may do.
        if !parent.rights.contains(.delegate) || !rights.isSubset(of: parent.rights) { throw .amplification }
        return issue(parent: parent.id, object: parent.object, rights: rights)
    }

    /// Revokes `capability` and its whole subtree.
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        try validate(capability)
        lock.lock()
        defer { lock.unlock() }
        var marked = dead.load()
        let children = childrenOf.load()
        var queue = [capability.id]
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            marked.insert(id)
            queue += children[id] ?? []
        }
        dead.store(marked)
    }
}
