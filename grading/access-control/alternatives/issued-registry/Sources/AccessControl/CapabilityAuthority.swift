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
/// A correct alternative to recomputing tags: the authority keeps every token it issued, by
/// identity, and a presented token is genuine only if it equals the issued one field for field
/// and tag for tag (compared in time independent of where they differ). Revocation is eager:
/// revoking marks the whole subtree at once through a children index, so a check looks up one
/// identity. Thread-safe: one `Lock` guards the records.
public final class CapabilityAuthority: @unchecked Sendable {
    // Safety: every `Shared` here is touched only while holding `lock`.
    private let tagFunction: @Sendable ([UInt8]) -> [UInt8]
    private let lock = Lock(name: "authority")
    private let issued = Shared<[[UInt8]: Capability]>([:], name: "issued")
    private let children = Shared<[[UInt8]: [[UInt8]]]>([:], name: "children")
    private let dead = Shared<Set<[UInt8]>>([], name: "dead")

    /// Creates an authority that tags tokens with `tag`, a keyed function only it may call.
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        tagFunction = tag
    }

    private static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        var length = bytes.count
        var prefix: [UInt8] = []
        repeat {
            prefix.append(UInt8(length & 0x7f) | (length > 0x7f ? 0x80 : 0))
            length >>= 7
        } while length > 0
        return prefix + bytes
    }

    private func issue(parentID: [UInt8]?, object: String, rights: Rights) -> Capability {
        lock.lock()
        defer { lock.unlock() }
        var all = issued.load()
        let id = Array("cap-\(all.count)".utf8)
        let bytes = Self.lengthPrefixed(id) + Self.lengthPrefixed(parentID.map { [1] + $0 } ?? [0])
            + Self.lengthPrefixed(Array(object.utf8)) + [rights.rawValue]
        let capability = Capability(id: id, parentID: parentID, object: object, rights: rights, tag: tagFunction(bytes))
        all[id] = capability
        issued.store(all)
        if let parentID {
            var index = children.load()
            index[parentID, default: []].append(id)
            children.store(index)
        }
        return capability
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        issue(parentID: nil, object: object, rights: rights)
    }

    /// The issued token equal to `capability`, compared without an early exit on the tag.
    private func issuedCopy(of capability: Capability) -> Capability? {
        guard let original = issued.load()[capability.id] else { return nil }
        var difference = original.tag.count ^ capability.tag.count
        for (a, b) in zip(original.tag, capability.tag) { difference |= Int(a ^ b) }
        let fieldsMatch = original.parentID == capability.parentID && original.object == capability.object && original.rights == capability.rights
        return difference == 0 && fieldsMatch ? original : nil
    }

    /// Checks that `capability` is genuine and live.
    /// - Throws: ``CapabilityError/forged`` or ``CapabilityError/revoked``.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        lock.lock()
        defer { lock.unlock() }
        guard issuedCopy(of: capability) != nil else { throw .forged }
        if dead.load().contains(capability.id) { throw .revoked }
    }

    /// Checks that `capability` grants `rights` on `object`.
    /// - Throws: ``CapabilityError``.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        try validate(capability)
        if capability.object != object { throw .wrongObject }
        if !capability.rights.isSuperset(of: rights) { throw .insufficientRights }
    }

    /// Derives a capability for the same object with `rights`, which must be among the parent's;
    /// the parent needs the `delegate` right.
    /// - Throws: ``CapabilityError``.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        try validate(parent)
        if !parent.rights.contains(.delegate) { throw .insufficientRights }
        if !rights.isSubset(of: parent.rights) { throw .amplification }
        return issue(parentID: parent.id, object: parent.object, rights: rights)
    }

    /// Revokes `capability` and everything derived from it, at once.
    /// - Throws: ``CapabilityError/forged`` if the token is not genuine (nothing is revoked).
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        lock.lock()
        defer { lock.unlock() }
        guard issuedCopy(of: capability) != nil else { throw .forged }
        var marked = dead.load()
        var pending = [capability.id]
        let index = children.load()
        while let id = pending.popLast() {
            if marked.insert(id).inserted { pending += index[id] ?? [] }
        }
        dead.store(marked)
    }
}
