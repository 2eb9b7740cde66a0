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
/// Your task: read the assignment README first. Guard the state with the runtime's `Lock` and
/// keep it in `Shared`.
public final class CapabilityAuthority: @unchecked Sendable {
    // TODO: the tag function, the lock and the records you need.

    /// Creates an authority that tags tokens with `tag`, a keyed function only it may call
    /// (in production an HMAC under the authority's secret key).
    public init(tag: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        // TODO
    }

    /// Issues a root capability for `object`.
    public func mint(object: String, rights: Rights) -> Capability {
        fatalError("TODO: implement mint(object:rights:)")
    }

    /// Checks that `capability` is genuine and live.
    /// - Throws: ``CapabilityError/forged`` or ``CapabilityError/revoked``.
    public func validate(_ capability: Capability) throws(CapabilityError) {
        fatalError("TODO: implement validate(_:)")
    }

    /// Checks that `capability` grants `rights` on `object`.
    /// - Throws: ``CapabilityError``.
    public func authorize(_ capability: Capability, _ rights: Rights, on object: String) throws(CapabilityError) {
        fatalError("TODO: implement authorize(_:_:on:)")
    }

    /// Derives a capability for the same object with `rights`, which must be among the parent's;
    /// the parent needs the `delegate` right.
    /// - Throws: ``CapabilityError``.
    public func delegate(_ parent: Capability, rights: Rights) throws(CapabilityError) -> Capability {
        fatalError("TODO: implement delegate(_:rights:)")
    }

    /// Revokes `capability` and so, transitively, everything derived from it.
    /// - Throws: ``CapabilityError/forged`` if the token is not genuine (nothing is revoked).
    public func revoke(_ capability: Capability) throws(CapabilityError) {
        fatalError("TODO: implement revoke(_:)")
    }
}
