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
/// Slot `i` is bytes `i * stride ..< (i + 1) * stride`: an 8-byte little-endian generation, a
/// 12-byte random nonce, then the sealed `4-byte length + data + zero padding` (every slot seals
/// the same number of bytes, so lengths do not show) and its tag. The associated data binds the
/// slot index and the generation: a slot moved elsewhere, or old bytes given a new generation,
/// fail to open. Each instance remembers the highest generation it wrote or read per slot and
/// refuses an older one (rollback), including a slot erased back to zeros. Nonces are random,
/// so they never repeat even when an attacker rolls a slot back and another process, which never
/// saw the newer generation, writes it again. Thread-safe: one `Lock` per instance guards its
/// slots' reads and writes (blocking only on it); processes sharing a mapping must still
/// synchronize with each other.
public final class EncryptedRegion: @unchecked Sendable {
    // Safety: `known` is touched, and the mapping read and written, only while holding `lock`.
    static let headerSize = 8 + Sealer.nonceSize

    /// Number of slots.
    let slotCount: Int
    /// Largest plaintext per slot.
    let slotCapacity: Int
    private let memory: SharedBytes
    private let sealer: Sealer
    private let lock = Lock(name: "region")
    private let known: Shared<[UInt64]>

    /// Bytes of one slot.
    static func stride(capacity: Int) -> Int { headerSize + 4 + capacity + Sealer.tagSize }

    /// Bytes a mapping needs for these slots.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * stride(capacity: slotCapacity)
    }

    /// Lays slots over `memory`; bytes all zero are slots never written.
    /// - Throws: ``RegionError/regionTooSmall``.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        guard slotCount >= 0, slotCapacity >= 0, memory.count >= Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity) else {
            throw .regionTooSmall
        }
        self.memory = memory
        self.slotCount = slotCount
        self.slotCapacity = slotCapacity
        self.sealer = sealer
        known = Shared(Array(repeating: 0, count: slotCount), name: "knownGenerations")
    }

    private static func associatedData(slot: Int, generation: UInt64) -> [UInt8] {
        Array("shared-memory-threats.region.v1".utf8) + bytes(UInt64(slot)) + bytes(generation)
    }

    private static func bytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    private static func number(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Seals `plaintext` into slot `index` with the next generation.
    /// - Throws: ``RegionError/tooLarge`` or ``RegionError/noSuchSlot``.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        guard index >= 0 && index < slotCount else { throw .noSuchSlot }
        guard plaintext.count <= slotCapacity else { throw .tooLarge }
        lock.lock()
        defer { lock.unlock() }
        let stride = Self.stride(capacity: slotCapacity)
        let stored = Self.number(memory.load(at: index * stride, count: 8)[...])
        var seen = known.load()
        let generation = max(stored, seen[index]) + 1
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<Sealer.nonceSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var padded = Self.bytes(UInt64(plaintext.count))[0..<4] + plaintext
        padded += Array(repeating: 0, count: slotCapacity - plaintext.count)
        let sealed = sealer.seal(Array(padded), nonce: nonce, associatedData: Self.associatedData(slot: index, generation: generation))
        memory.store(Self.bytes(generation) + nonce + sealed, at: index * stride)
        seen[index] = generation
        known.store(seen)
    }

    /// Opens slot `index`.
    /// - Returns: the plaintext, or nil for a slot never written that this instance has never
    ///   seen written either.
    /// - Throws: ``RegionError/tampered(slot:)``, ``RegionError/rolledBack(slot:)`` or
    ///   ``RegionError/noSuchSlot``.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        guard index >= 0 && index < slotCount else { throw .noSuchSlot }
        lock.lock()
        defer { lock.unlock() }
        let stride = Self.stride(capacity: slotCapacity)
        let slot = memory.load(at: index * stride, count: stride)
        let generation = Self.number(slot[0..<8])
        var seen = known.load()
        guard generation >= seen[index] else { throw .rolledBack(slot: index) }
        if generation == 0 {
            guard slot.allSatisfy({ $0 == 0 }) else { throw .tampered(slot: index) }
            return nil
        }
        let nonce = Array(slot[8..<Self.headerSize])
        guard let padded = sealer.open(Array(slot[Self.headerSize...]), nonce: nonce, associatedData: Self.associatedData(slot: index, generation: generation)),
              padded.count == 4 + slotCapacity
        else { throw .tampered(slot: index) }
        let length = Int(Self.number(padded[0..<4]))
        guard length <= slotCapacity else { throw .tampered(slot: index) }
        seen[index] = generation
        known.store(seen)
        return Array(padded[4..<(4 + length)])
    }
}
