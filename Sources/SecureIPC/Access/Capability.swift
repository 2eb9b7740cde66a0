/// Rights a capability grants on one object.
public struct CapabilityRights: OptionSet, Hashable, Sendable {
    /// Bit set of rights.
    public let rawValue: UInt8
    /// Creates rights from bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Observe the object.
    public static let read = CapabilityRights(rawValue: 1 << 0)
    /// Alter the object.
    public static let write = CapabilityRights(rawValue: 1 << 1)
    /// May derive new capabilities (with at most its own rights).
    public static let delegate = CapabilityRights(rawValue: 1 << 2)
    /// Every right.
    public static let all: CapabilityRights = [.read, .write, .delegate]
}

/// An unforgeable token naming an object and rights on it: its fields are bound by an
/// HMAC-SHA256 tag under the issuing ``CapabilityAuthority``'s secret key, so changing any
/// field (to widen rights, retarget the object, or detach it from its parent) makes it invalid.
public struct Capability: Hashable, Sendable {
    /// Random 16-byte identity.
    public let id: [UInt8]
    /// The capability it was delegated from, or `nil` for a root.
    public let parentID: [UInt8]?
    /// The object it names.
    public let objectID: String
    /// What it grants.
    public let rights: CapabilityRights
    /// HMAC over ``canonicalBytes``.
    public let tag: [UInt8]

    /// The exact bytes the tag covers.
    public var canonicalBytes: [UInt8] {
        Self.canonicalBytes(id: id, parentID: parentID, objectID: objectID, rights: rights)
    }

    static func canonicalBytes(id: [UInt8], parentID: [UInt8]?, objectID: String, rights: CapabilityRights) -> [UInt8] {
        let object = Array(objectID.utf8)
        var bytes = Array("turnstile.capability.v1".utf8) + [UInt8(id.count)] + id
        bytes += [UInt8(parentID?.count ?? 0)] + (parentID ?? [])
        bytes += SignedMessage.bigEndian(UInt64(object.count), width: 4) + object
        bytes.append(rights.rawValue)
        return bytes
    }

    /// A copy with different rights and the same tag: what a forger would try. For tests.
    public func forged(rights: CapabilityRights) -> Capability {
        Capability(id: id, parentID: parentID, objectID: objectID, rights: rights, tag: tag)
    }
}
