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

/// Slot layout, header last: the sealed `4-byte length (little-endian) | data | zero padding`
/// with its tag, then the 12-byte nonce, then the 8-byte generation (little-endian). Nonces
/// count up from a random 96-bit starting point drawn by each instance. The associated data is
/// the slot index and the generation.
public final class EncryptedRegion: @unchecked Sendable {
    private let memory: SharedBytes
    private let sealer: Sealer
    private let slots: Int
    private let capacity: Int
    private let lock = Lock(name: "region")
    private let newest: Shared<[UInt64]>
    private let nextNonce: Shared<[UInt8]>

    private static func sealedSize(_ capacity: Int) -> Int { 4 + capacity + Sealer.tagSize }
    private static func size(_ capacity: Int) -> Int { sealedSize(capacity) + Sealer.nonceSize + 8 }

    /// Bytes a mapping needs for these slots.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * size(slotCapacity)
    }

    /// Lays slots over `memory`.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        if slotCount < 0 || slotCapacity < 0 || memory.count < Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity) {
            throw .regionTooSmall
        }
        self.memory = memory
        self.sealer = sealer
        slots = slotCount
        capacity = slotCapacity
        newest = Shared(Array(repeating: 0, count: slotCount), name: "newest")
        var generator = SystemRandomNumberGenerator()
        nextNonce = Shared((0..<Sealer.nonceSize).map { _ in generator.next() as UInt8 }, name: "nextNonce")
    }

    private static func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) } }
    private static func fromLE(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }

    private static func ad(_ slot: Int, _ generation: UInt64) -> [UInt8] { le(UInt64(slot), 4) + le(generation, 8) }

    /// The nonce to use now, and the counter moved on by one (a 96-bit big-endian increment).
    /// Called with `lock` held.
    private func takeNonce() -> [UInt8] {
        let nonce = nextNonce.load()
        var next = nonce
        var index = next.count - 1
        while index >= 0 {
            next[index] &+= 1
            if next[index] != 0 { break }
            index -= 1
        }
        nextNonce.store(next)
        return nonce
    }

    /// Seals `plaintext` into slot `index`.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        if index < 0 || index >= slots { throw .noSuchSlot }
        if plaintext.count > capacity { throw .tooLarge }
        lock.lock()
        defer { lock.unlock() }
        let base = index * Self.size(capacity)
        let generationAt = base + Self.sealedSize(capacity) + Sealer.nonceSize
        let stored = Self.fromLE(memory.load(at: generationAt, count: 8)[...])
        var known = newest.load()
        let generation = max(stored, known[index]) + 1
        let nonce = takeNonce()
        let body = Self.le(UInt64(plaintext.count), 4) + plaintext + Array(repeating: 0, count: capacity - plaintext.count)
        let sealed = sealer.seal(body, nonce: nonce, associatedData: Self.ad(index, generation))
        memory.store(sealed + nonce + Self.le(generation, 8), at: base)
        known[index] = generation
        newest.store(known)
    }

    /// Opens slot `index`: authenticates first, then compares the generation.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        if index < 0 || index >= slots { throw .noSuchSlot }
        lock.lock()
        defer { lock.unlock() }
        let bytes = memory.load(at: index * Self.size(capacity), count: Self.size(capacity))
        let sealedEnd = Self.sealedSize(capacity)
        let generation = Self.fromLE(bytes[(sealedEnd + Sealer.nonceSize)...])
        var known = newest.load()
        if generation == 0 {
            guard bytes.allSatisfy({ $0 == 0 }) else { throw .tampered(slot: index) }
            if known[index] != 0 { throw .rolledBack(slot: index) }
            return nil
        }
        let nonce = Array(bytes[sealedEnd..<(sealedEnd + Sealer.nonceSize)])
        guard let body = sealer.open(Array(bytes[0..<sealedEnd]), nonce: nonce, associatedData: Self.ad(index, generation)),
              body.count == 4 + capacity
        else { throw .tampered(slot: index) }
        if generation < known[index] { throw .rolledBack(slot: index) }
        let length = Int(Self.fromLE(body[0..<4]))
        guard length <= capacity else { throw .tampered(slot: index) }
        known[index] = generation
        newest.store(known)
        return Array(body[4..<(4 + length)])
    }
}
