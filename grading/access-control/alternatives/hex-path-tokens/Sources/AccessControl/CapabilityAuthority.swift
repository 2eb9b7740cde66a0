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


/// Identities are decimal counters; the tag covers a text encoding in which every field is hex
/// (so the ':' separators cannot occur inside a field) and a missing parent is '-'. Each issued
/// identity records its whole path from the root; a token is dead when any identity on its path
/// was revoked.
public final class CapabilityAuthority: @unchecked Sendable {
    private let tagFunction: @Sendable ([UInt8]) -> [UInt8]
    private let lock = Lock(name: "authority")
    private let paths = Shared<[[UInt8]: [[UInt8]]]>([:], name: "paths")
    private let revokedIDs = Shared<Set<[UInt8]>>([], name: "revoked")
    private let serial = Shared(1, name: "serial")

    /// Creates an authority that tags tokens with `tag`.
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        tagFunction = tag
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: [UInt8]) -> [UInt8] {
        bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }
    }

    private func tagOf(_ c: Capability) -> [UInt8] {
        let colon = UInt8(ascii: ":")
        var text = Array("cap1".utf8)
        text += [colon] + Self.hex(c.id)
        text += [colon] + (c.parentID.map(Self.hex) ?? [UInt8(ascii: "-")])
        text += [colon] + Self.hex(Array(c.object.utf8))
        text += [colon] + Self.hex([c.rights.rawValue])
        return tagFunction(text)
    }

    private static func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        zip(a, b).reduce(UInt8(a.count == b.count ? 0 : 1)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func issue(_ parent: Capability?, object: String, rights: Rights) -> Capability {
        lock.lock()
        let number = serial.load()
        serial.store(number + 1)
        let id = Array(String(number).utf8)
        var all = paths.load()
        let path = (parent.flatMap { all[$0.id] } ?? []) + [id]
        all[id] = path
        paths.store(all)
        lock.unlock()
        var token = Capability(id: id, parentID: parent?.id, object: object, rights: rights, tag: [])
        token.tag = tagOf(token)
        return token
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        issue(nil, object: object, rights: rights)
    }

    /// Checks that `capability` is genuine and live.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        let expected = tagOf(capability)
        lock.lock()
        defer { lock.unlock() }
        guard Self.matches(expected, capability.tag), let path = paths.load()[capability.id] else { throw .forged }
        let revoked = revokedIDs.load()
        if path.contains(where: revoked.contains) { throw .revoked }
    }

    /// Checks that `capability` grants `rights` on `object`.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        try validate(capability)
        if object != capability.object { throw .wrongObject }
        if capability.rights.intersection(rights) != rights { throw .insufficientRights }
    }

    /// Derives a capability for the same object with `rights`.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        try validate(parent)
        if !parent.rights.contains(.delegate) { throw .insufficientRights }
        if parent.rights.union(rights) != parent.rights { throw .amplification }
        return issue(parent, object: parent.object, rights: rights)
    }

    /// Revokes `capability` and so everything derived from it.
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        let expected = tagOf(capability)
        lock.lock()
        defer { lock.unlock() }
        guard Self.matches(expected, capability.tag), paths.load()[capability.id] != nil else { throw .forged }
        var revoked = revokedIDs.load()
        revoked.insert(capability.id)
        revokedIDs.store(revoked)
    }
}
