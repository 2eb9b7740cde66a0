import TurnstileRuntime

/// Bytes in a mapping that another process can also see. Given: do not change it.
///
/// The grader owns the bytes: it reads and changes them as an attacker holding the same mapping
/// would, between (and during) your calls.
public struct SharedBytes: Sendable {
    /// How many bytes there are.
    public let count: Int
    private let loadBytes: @Sendable (Int, Int) -> [UInt8]
    private let storeBytes: @Sendable (Int, [UInt8]) -> Void

    /// Wraps a mapping's accessors.
    public init(
        count: Int, load: @escaping @Sendable (_ offset: Int, _ length: Int) -> [UInt8],
        store: @escaping @Sendable (_ offset: Int, _ bytes: [UInt8]) -> Void
    ) {
        self.count = count
        loadBytes = load
        storeBytes = store
    }

    /// Copies `length` bytes starting at `offset` out of the mapping.
    /// - Precondition: the range lies inside the mapping.
    public func load(at offset: Int, count length: Int) -> [UInt8] { loadBytes(offset, length) }

    /// Copies `bytes` into the mapping at `offset`.
    /// - Precondition: the range lies inside the mapping.
    public func store(_ bytes: [UInt8], at offset: Int) { storeBytes(offset, bytes) }
}

/// Authenticated encryption under a key only the trusted processes share (ChaCha20-Poly1305 in
/// production). Given: do not change it.
public struct Sealer: Sendable {
    /// Bytes of a nonce.
    public static let nonceSize = 12
    /// Bytes the tag adds to the ciphertext.
    public static let tagSize = 16
    private let sealBytes: @Sendable ([UInt8], [UInt8], [UInt8]) -> [UInt8]
    private let openBytes: @Sendable ([UInt8], [UInt8], [UInt8]) -> [UInt8]?

    /// Wraps an AEAD's two operations.
    public init(
        seal: @escaping @Sendable (_ plaintext: [UInt8], _ nonce: [UInt8], _ associatedData: [UInt8]) -> [UInt8],
        open: @escaping @Sendable (_ sealed: [UInt8], _ nonce: [UInt8], _ associatedData: [UInt8]) -> [UInt8]?
    ) {
        sealBytes = seal
        openBytes = open
    }

    /// The ciphertext (as long as `plaintext`) followed by the tag. A nonce must never be used
    /// twice under the key.
    public func seal(_ plaintext: [UInt8], nonce: [UInt8], associatedData: [UInt8]) -> [UInt8] {
        sealBytes(plaintext, nonce, associatedData)
    }

    /// The plaintext, or nil when the sealed bytes, the nonce or the associated data are not
    /// exactly what was sealed.
    public func open(_ sealed: [UInt8], nonce: [UInt8], associatedData: [UInt8]) -> [UInt8]? {
        openBytes(sealed, nonce, associatedData)
    }
}

/// Why a region refused.
public enum RegionError: Error, Hashable, Sendable {
    /// The mapping is smaller than the slots need.
    case regionTooSmall
    /// The slot index is out of range.
    case noSuchSlot
    /// The plaintext is larger than a slot.
    case tooLarge
    /// The slot failed authentication: modified, moved from another slot, or torn.
    case tampered(slot: Int)
    /// The slot holds an older generation than this instance has already seen there.
    case rolledBack(slot: Int)
}

/// Fixed-size slots in shared memory, each sealed with the AEAD, so the mapping never holds
/// plaintext and any change to it is detected.
///
/// Your task: read the assignment README first (the slot layout rules, what must be detected,
/// and how nonces must be chosen). Guard each instance's state with the runtime's `Lock`.
public final class EncryptedRegion: @unchecked Sendable {
    // TODO: the state you need.

    /// Bytes a mapping needs for these slots: `slotCount` times the bytes of one slot.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        fatalError("TODO: implement requiredByteCount(slotCount:slotCapacity:)")
    }

    /// Lays slots over `memory`; bytes all zero are slots never written.
    /// - Throws: ``RegionError/regionTooSmall``.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        fatalError("TODO: implement init")
    }

    /// Seals `plaintext` into slot `index` with the next generation.
    /// - Throws: ``RegionError/tooLarge`` or ``RegionError/noSuchSlot``.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        fatalError("TODO: implement write(_:toSlot:)")
    }

    /// Opens slot `index`.
    /// - Returns: the plaintext, or nil for a slot never written that this instance has never
    ///   seen written either.
    /// - Throws: ``RegionError/tampered(slot:)``, ``RegionError/rolledBack(slot:)`` or
    ///   ``RegionError/noSuchSlot``.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        fatalError("TODO: implement read(slot:)")
    }
}
