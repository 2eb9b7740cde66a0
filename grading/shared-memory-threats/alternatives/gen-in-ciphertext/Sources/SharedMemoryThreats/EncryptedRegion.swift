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

/// Slot layout: a 12-byte random nonce, then the sealed `8-byte generation | 2-byte length |
/// data padded to the capacity` and its tag. The generation travels inside the ciphertext, so
/// the AEAD authenticates it; the associated data binds the slot index. Each instance remembers
/// the highest generation it has seen per slot and refuses anything older, or an erased slot.
public final class EncryptedRegion: @unchecked Sendable {
    private let memory: SharedBytes
    private let sealer: Sealer
    private let slotCount: Int
    private let capacity: Int
    private let lock = Lock(name: "region")
    private let highest: Shared<[UInt64]>

    private static func slotSize(_ capacity: Int) -> Int { Sealer.nonceSize + 8 + 2 + capacity + Sealer.tagSize }

    /// Bytes a mapping needs for these slots.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * slotSize(slotCapacity)
    }

    /// Lays slots over `memory`.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        guard slotCount >= 0, slotCapacity >= 0, slotCapacity <= 0xFFFF,
              memory.count >= Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity)
        else { throw .regionTooSmall }
        self.memory = memory
        self.sealer = sealer
        self.slotCount = slotCount
        capacity = slotCapacity
        highest = Shared(Array(repeating: 0, count: slotCount), name: "highest")
    }

    private func context(_ slot: Int) -> [UInt8] {
        Array("encrypted-region:slot".utf8) + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(slot) >> (56 - 8 * $0)) }
    }

    /// The generation and data a slot's bytes open to, or nil. Called with `lock` held.
    private func open(_ bytes: [UInt8], slot: Int) -> (UInt64, [UInt8])? {
        let nonce = Array(bytes[0..<Sealer.nonceSize])
        guard let body = sealer.open(Array(bytes[Sealer.nonceSize...]), nonce: nonce, associatedData: context(slot)),
              body.count == 10 + capacity
        else { return nil }
        let generation = body[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let length = Int(body[8]) << 8 | Int(body[9])
        guard length <= capacity else { return nil }
        return (generation, Array(body[10..<(10 + length)]))
    }

    /// Seals `plaintext` into slot `index` with the next generation.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        guard (0..<slotCount).contains(index) else { throw .noSuchSlot }
        guard plaintext.count <= capacity else { throw .tooLarge }
        lock.lock()
        defer { lock.unlock() }
        let size = Self.slotSize(capacity)
        let current = memory.load(at: index * size, count: size)
        let stored = open(current, slot: index)?.0 ?? 0
        var known = highest.load()
        let generation = max(stored, known[index]) + 1
        var generator = SystemRandomNumberGenerator()
        var nonce: [UInt8] = []
        for _ in 0..<3 {
            let word: UInt32 = generator.next()
            nonce += (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
        var body = (0..<8).map { UInt8(truncatingIfNeeded: generation >> (56 - 8 * $0)) }
        body += [UInt8(plaintext.count >> 8), UInt8(plaintext.count & 0xFF)]
        body += plaintext + Array(repeating: 0, count: capacity - plaintext.count)
        memory.store(nonce + sealer.seal(body, nonce: nonce, associatedData: context(index)), at: index * size)
        known[index] = generation
        highest.store(known)
    }

    /// Opens slot `index`.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        guard (0..<slotCount).contains(index) else { throw .noSuchSlot }
        lock.lock()
        defer { lock.unlock() }
        let size = Self.slotSize(capacity)
        let bytes = memory.load(at: index * size, count: size)
        var known = highest.load()
        if bytes.allSatisfy({ $0 == 0 }) {
            if known[index] > 0 { throw .rolledBack(slot: index) }
            return nil
        }
        guard let (generation, data) = open(bytes, slot: index), generation > 0 else { throw .tampered(slot: index) }
        if generation < known[index] { throw .rolledBack(slot: index) }
        known[index] = generation
        highest.store(known)
        return data
    }
}
