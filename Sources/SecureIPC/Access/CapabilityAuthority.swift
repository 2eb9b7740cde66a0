import Crypto
import Foundation

/// Issues, checks, delegates and revokes ``Capability`` tokens.
///
/// - Unforgeable: tokens carry an HMAC-SHA256 tag under a key only the authority holds,
///   verified in constant time.
/// - Attenuation only: ``delegate(_:rights:)`` refuses any right the parent does not hold, and
///   needs the parent's `delegate` right.
/// - Revocation is transitive: revoking a capability invalidates everything derived from it,
///   because every check walks the derivation chain the authority recorded.
/// Thread-safe.
public final class CapabilityAuthority: @unchecked Sendable {
    // Safe to share: the derivation records and the revocation set are guarded by `lock`.
    private let key: SymmetricKey
    private let lock = NSLock()
    private var parents: [[UInt8]: [UInt8]?] = [:]
    private var revoked: Set<[UInt8]> = []

    /// Creates an authority with a fresh random 256-bit key.
    public init() { key = SymmetricKey(size: .bits256) }

    private func tag(_ bytes: [UInt8]) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key)) }

    private func make(parentID: [UInt8]?, objectID: String, rights: CapabilityRights) -> Capability {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let capability = Capability(
            id: id, parentID: parentID, objectID: objectID, rights: rights,
            tag: tag(Capability.canonicalBytes(id: id, parentID: parentID, objectID: objectID, rights: rights)))
        lock.withLock { parents[id] = parentID }
        return capability
    }

    /// Issues a root capability.
    public func mint(objectID: String, rights: CapabilityRights) -> Capability {
        make(parentID: nil, objectID: objectID, rights: rights)
    }

    /// Checks that a capability is genuine and live (not revoked, nor any ancestor).
    /// - Throws: ``CapabilityError/forged`` or ``CapabilityError/revoked``.
    public func validate(_ capability: Capability) throws {
        guard HMAC<SHA256>.isValidAuthenticationCode(capability.tag, authenticating: capability.canonicalBytes, using: key) else {
            throw CapabilityError.forged
        }
        try lock.withLock {
            var current: [UInt8]? = capability.id
            while let id = current {
                guard !revoked.contains(id), let parent = parents[id] else { throw CapabilityError.revoked }
                current = parent
            }
        }
    }

    /// Checks that a capability grants `rights` on `objectID`.
    /// - Throws: ``CapabilityError``.
    public func authorize(_ capability: Capability, _ rights: CapabilityRights, on objectID: String) throws {
        try validate(capability)
        guard capability.objectID == objectID else { throw CapabilityError.wrongObject }
        guard capability.rights.isSuperset(of: rights) else {
            throw CapabilityError.insufficientRights(held: capability.rights.rawValue, needed: rights.rawValue)
        }
    }

    /// Derives a capability with fewer (or equal) rights.
    /// - Throws: ``CapabilityError/amplification`` if `rights` is not a subset of the parent's,
    ///   ``CapabilityError/insufficientRights(held:needed:)`` without the `delegate` right, or a
    ///   validation error.
    public func delegate(_ parent: Capability, rights: CapabilityRights) throws -> Capability {
        try validate(parent)
        guard parent.rights.contains(.delegate) else {
            throw CapabilityError.insufficientRights(held: parent.rights.rawValue, needed: CapabilityRights.delegate.rawValue)
        }
        guard parent.rights.isSuperset(of: rights) else { throw CapabilityError.amplification }
        return make(parentID: parent.id, objectID: parent.objectID, rights: rights)
    }

    /// Revokes a capability and, transitively, everything derived from it.
    /// - Throws: ``CapabilityError/forged`` if the token is not genuine.
    public func revoke(_ capability: Capability) throws {
        guard HMAC<SHA256>.isValidAuthenticationCode(capability.tag, authenticating: capability.canonicalBytes, using: key) else {
            throw CapabilityError.forged
        }
        lock.withLock {
            revoked.insert(capability.id)
            // Forget the revoked subtree so nothing derived from it can be found again.
            var doomed: Set<[UInt8]> = [capability.id]
            var changed = true
            while changed {
                changed = false
                for (id, parent) in parents where !doomed.contains(id) {
                    if let parent, doomed.contains(parent) {
                        doomed.insert(id)
                        changed = true
                    }
                }
            }
            for id in doomed {
                parents.removeValue(forKey: id)
                revoked.insert(id)
            }
        }
    }
}

/// Why a capability was refused.
public enum CapabilityError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The tag does not match the fields: the token was altered or not issued by this authority.
    case forged
    /// It, or a capability it derives from, was revoked.
    case revoked
    /// It names another object.
    case wrongObject
    /// It lacks a needed right.
    case insufficientRights(held: UInt8, needed: UInt8)
    /// Delegation asked for rights the parent does not hold.
    case amplification

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .forged: "capability is forged or altered"
        case .revoked: "capability was revoked (directly or through an ancestor)"
        case .wrongObject: "capability names another object"
        case .insufficientRights(let held, let needed): "capability holds rights \(held), operation needs \(needed)"
        case .amplification: "delegation cannot add rights the parent does not hold"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
