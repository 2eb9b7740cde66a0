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

/// Fixed-size slots in shared memory, each sealed with the AEAD.
///
/// A correct alternative to the reference's layout and nonces. Slot `i` is a 12-byte nonce, an
/// 8-byte big-endian generation, then the sealed `data + zero padding + 2-byte length` and its
/// tag. Nonces are an 8-byte prefix drawn at random per instance followed by a 4-byte counter
/// of that instance's seals; a new prefix is drawn when the counter wraps, so two seals share a
/// nonce only if two instances draw the same 64-bit prefix. The associated data binds the slot
/// index and the generation; the highest generation seen per slot is kept in a dictionary.
/// Thread-safe: one `Lock` per instance.
public final class EncryptedRegion: @unchecked Sendable {
    // Safety: all state here is touched only while holding `lock`.
    private let memory: SharedBytes
    private let sealer: Sealer
    private let slots: Int
    private let capacity: Int
    private let lock = Lock(name: "region")
    private let seen = Shared<[Int: UInt64]>([:], name: "seen")
    private let prefix = Shared<[UInt8]>([], name: "noncePrefix")
    private let counter = Shared<UInt32>(0, name: "nonceCounter")

    private static func slotBytes(_ capacity: Int) -> Int { 12 + 8 + capacity + 2 + 16 }

    /// Bytes a mapping needs for these slots.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * slotBytes(slotCapacity)
    }

    /// Lays slots over `memory`.
    /// - Throws: ``RegionError/regionTooSmall``.
    public init(memory: SharedBytes, slotCount: Int, slotCapacity: Int, sealer: Sealer) throws(RegionError) {
        if slotCount < 0 || slotCapacity < 0 || memory.count < Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity) {
            throw .regionTooSmall
        }
        self.memory = memory
        self.sealer = sealer
        slots = slotCount
        capacity = slotCapacity
    }

    private static func bigEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private func context(_ slot: Int, _ generation: UInt64) -> [UInt8] {
        Array("region/slot+generation".utf8) + Self.bigEndian(UInt64(slot), 8) + Self.bigEndian(generation, 8)
    }

    /// The next nonce. Called with `lock` held.
    private func nextNonce() -> [UInt8] {
        var count = counter.load()
        if prefix.load().isEmpty || count == .max {
            var generator = SystemRandomNumberGenerator()
            prefix.store(Self.bigEndian(generator.next(), 8))
            count = 0
        }
        counter.store(count + 1)
        return prefix.load() + Self.bigEndian(UInt64(count), 4)
    }

    /// Seals `plaintext` into slot `index`.
    /// - Throws: ``RegionError/tooLarge`` or ``RegionError/noSuchSlot``.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws(RegionError) {
        if index < 0 || index >= slots { throw .noSuchSlot }
        if plaintext.count > capacity { throw .tooLarge }
        lock.lock()
        defer { lock.unlock() }
        let base = index * Self.slotBytes(capacity)
        let stored = memory.load(at: base + 12, count: 8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let generation = max(stored, seen.load()[index] ?? 0) + 1
        let nonce = nextNonce()
        let body = plaintext + [UInt8](repeating: 0, count: capacity - plaintext.count) + Self.bigEndian(UInt64(plaintext.count), 2)
        memory.store(nonce + Self.bigEndian(generation, 8) + sealer.seal(body, nonce: nonce, associatedData: context(index, generation)), at: base)
        var all = seen.load()
        all[index] = generation
        seen.store(all)
    }

    /// Opens slot `index`.
    /// - Throws: ``RegionError``.
    public func read(slot index: Int) throws(RegionError) -> [UInt8]? {
        if index < 0 || index >= slots { throw .noSuchSlot }
        lock.lock()
        defer { lock.unlock() }
        let bytes = memory.load(at: index * Self.slotBytes(capacity), count: Self.slotBytes(capacity))
        let generation = bytes[12..<20].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let highest = seen.load()[index] ?? 0
        if generation < highest { throw .rolledBack(slot: index) }
        if generation == 0 {
            if bytes.contains(where: { $0 != 0 }) { throw .tampered(slot: index) }
            return nil
        }
        guard let body = sealer.open(Array(bytes[20...]), nonce: Array(bytes[0..<12]), associatedData: context(index, generation)),
              body.count == capacity + 2
        else { throw .tampered(slot: index) }
        let length = Int(body[capacity]) << 8 | Int(body[capacity + 1])
        if length > capacity { throw .tampered(slot: index) }
        var all = seen.load()
        all[index] = generation
        seen.store(all)
        return Array(body[0..<length])
    }
}
