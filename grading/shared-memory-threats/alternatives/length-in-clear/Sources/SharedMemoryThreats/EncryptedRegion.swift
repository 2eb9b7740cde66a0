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

/// Slot layout: `generation (8, big-endian) | length (2) | nonce (12) | ciphertext (length) |
/// tag (16) | zeros up to the slot's end`. Only the data is sealed; the associated data binds the
/// slot, the generation and the length, so none of the clear header can change. Nonces are the
/// slot index (4 bytes) and 8 random bytes.
public final class EncryptedRegion: @unchecked Sendable {
    static let header = 8 + 2 + Sealer.nonceSize
    private let memory: SharedBytes
    private let sealer: Sealer
    private let slotCount: Int
    private let capacity: Int
    private let lock = Lock(name: "region")
    private let seen: Shared<[Int: UInt64]>

    static func stride(_ capacity: Int) -> Int { header + capacity + Sealer.tagSize }

    /// Bytes a mapping needs for these slots.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * stride(slotCapacity)
    }

    /// Lays slots over `memory`.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        guard slotCount >= 0, slotCapacity >= 0, slotCapacity < 1 << 16,
              memory.count >= Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity)
        else { throw .regionTooSmall }
        self.memory = memory
        self.sealer = sealer
        self.slotCount = slotCount
        capacity = slotCapacity
        seen = Shared([:], name: "seen")
    }

    private static func be(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (width - 1 - $0))) }
    }

    private static func value(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }

    private static func aad(_ slot: Int, _ generation: UInt64, _ length: Int) -> [UInt8] {
        Array("slot|generation|length".utf8) + be(UInt64(slot), 8) + be(generation, 8) + be(UInt64(length), 2)
    }

    /// Seals `plaintext` into slot `index`.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        if index < 0 || index >= slotCount { throw .noSuchSlot }
        if plaintext.count > capacity { throw .tooLarge }
        lock.lock()
        defer { lock.unlock() }
        let start = index * Self.stride(capacity)
        let stored = Self.value(memory.load(at: start, count: 8)[...])
        var generations = seen.load()
        let generation = max(stored, generations[index] ?? 0) + 1
        var generator = SystemRandomNumberGenerator()
        let nonce = Self.be(UInt64(index), 4) + Self.be(generator.next(), 8)
        let sealed = sealer.seal(plaintext, nonce: nonce, associatedData: Self.aad(index, generation, plaintext.count))
        let slot = Self.be(generation, 8) + Self.be(UInt64(plaintext.count), 2) + nonce + sealed
            + Array(repeating: 0, count: capacity - plaintext.count)
        memory.store(slot, at: start)
        generations[index] = generation
        seen.store(generations)
    }

    /// Opens slot `index`.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        if index < 0 || index >= slotCount { throw .noSuchSlot }
        lock.lock()
        defer { lock.unlock() }
        let bytes = memory.load(at: index * Self.stride(capacity), count: Self.stride(capacity))
        let generation = Self.value(bytes[0..<8])
        var generations = seen.load()
        if generation < generations[index] ?? 0 { throw .rolledBack(slot: index) }
        if generation == 0 {
            if bytes.contains(where: { $0 != 0 }) { throw .tampered(slot: index) }
            return nil
        }
        let length = Int(Self.value(bytes[8..<10]))
        guard length <= capacity else { throw .tampered(slot: index) }
        let nonce = Array(bytes[10..<Self.header])
        let sealed = Array(bytes[Self.header..<(Self.header + length + Sealer.tagSize)])
        guard let plaintext = sealer.open(sealed, nonce: nonce, associatedData: Self.aad(index, generation, length)),
              plaintext.count == length
        else { throw .tampered(slot: index) }
        generations[index] = generation
        seen.store(generations)
        return plaintext
    }
}
