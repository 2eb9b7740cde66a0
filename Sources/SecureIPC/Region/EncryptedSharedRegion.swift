import Crypto
import Foundation

/// Fixed-size slots in a (possibly shared) memory region, each sealed with ChaChaPoly under a
/// key only the trusted processes hold. The raw region never contains plaintext.
///
/// Slot layout: an 8-byte little-endian generation, a 12-byte random nonce, the ciphertext of
/// `capacity + 4` bytes (a 4-byte length, the data, zero padding: lengths do not leak) and a
/// 16-byte tag. The associated data binds the slot index and the generation, so:
/// - moving a sealed slot to another index fails authentication (``EncryptedRegionError/tampered(slot:)``);
/// - copying back an older sealed value (a rollback) is caught because each instance remembers the
///   highest generation it has written or read per slot (``EncryptedRegionError/rolledBack(slot:seen:found:)``);
/// - any flipped byte fails authentication.
///
/// Readers and writers of the same slot in different processes must still synchronize (a
/// semaphore or seqlock); an unsynchronized torn read shows up as ``EncryptedRegionError/tampered(slot:)``.
public final class EncryptedSharedRegion: @unchecked Sendable {
    // Safe to share: the per-slot generation memory is guarded by `lock`; every read and write of the
    // region happens under it too, so one instance never tears its own slots.
    static let headerSize = 8 + 12
    static let tagSize = 16

    /// Number of slots.
    public let slotCount: Int
    /// Largest plaintext per slot.
    public let slotCapacity: Int
    private let region: any RawMemoryRegion
    private let key: SymmetricKey
    private let lock = NSLock()
    private var knownGenerations: [UInt64]

    /// Bytes a region needs for this many slots of this capacity.
    public static func requiredByteCount(slotCount: Int, slotCapacity: Int) -> Int {
        slotCount * slotStride(capacity: slotCapacity)
    }

    static func slotStride(capacity: Int) -> Int { headerSize + 4 + capacity + tagSize }

    /// Lays slots over `region`.
    /// - Parameters:
    ///   - region: at least ``requiredByteCount(slotCount:slotCapacity:)`` bytes; zeroed bytes are empty slots.
    ///   - slotCount: number of slots.
    ///   - slotCapacity: largest plaintext per slot.
    ///   - key: a 256-bit key shared by the trusted processes only.
    /// - Throws: ``EncryptedRegionError/regionTooSmall(needed:available:)``.
    public init(region: any RawMemoryRegion, slotCount: Int, slotCapacity: Int, key: SymmetricKey) throws {
        let needed = Self.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity)
        guard region.bytes.count >= needed else {
            throw EncryptedRegionError.regionTooSmall(needed: needed, available: region.bytes.count)
        }
        self.region = region
        self.slotCount = slotCount
        self.slotCapacity = slotCapacity
        self.key = key
        knownGenerations = Array(repeating: 0, count: slotCount)
    }

    private func slot(_ index: Int) throws -> UnsafeMutableRawBufferPointer {
        guard index >= 0 && index < slotCount else { throw EncryptedRegionError.noSuchSlot(index) }
        let stride = Self.slotStride(capacity: slotCapacity)
        return UnsafeMutableRawBufferPointer(rebasing: region.bytes[(index * stride)..<((index + 1) * stride)])
    }

    private static func associatedData(slot: Int, generation: UInt64) -> [UInt8] {
        Array("turnstile.encrypted-region.v1".utf8)
            + SignedMessage.bigEndian(UInt64(slot), width: 8) + SignedMessage.bigEndian(generation, width: 8)
    }

    /// Seals `plaintext` into a slot with the next generation.
    /// - Throws: ``EncryptedRegionError/tooLarge(size:capacity:)`` or ``EncryptedRegionError/noSuchSlot(_:)``.
    public func write(_ plaintext: [UInt8], toSlot index: Int) throws {
        guard plaintext.count <= slotCapacity else {
            throw EncryptedRegionError.tooLarge(size: plaintext.count, capacity: slotCapacity)
        }
        try lock.withLock {
            let bytes = try slot(index)
            let stored = bytes.loadUnaligned(as: UInt64.self).littleEndian
            let generation = max(stored, knownGenerations[index]) + 1
            var padded = SignedMessage.bigEndian(UInt64(plaintext.count), width: 4) + plaintext
            padded += [UInt8](repeating: 0, count: slotCapacity - plaintext.count)
            defer { padded.withUnsafeMutableBytes { Zeroize.bytes($0) } }
            let box = try ChaChaPoly.seal(padded, using: key, authenticating: Self.associatedData(slot: index, generation: generation))
            bytes.storeBytes(of: generation.littleEndian, toByteOffset: 0, as: UInt64.self)
            let body = box.nonce.withUnsafeBytes(Array.init) + box.ciphertext + box.tag
            UnsafeMutableRawBufferPointer(rebasing: bytes[8...]).copyBytes(from: body)
            knownGenerations[index] = generation
        }
    }

    /// Opens a slot.
    /// - Returns: the plaintext, or `nil` for a slot never written (all zeros) that this
    ///   instance has also never seen written.
    /// - Throws: ``EncryptedRegionError/tampered(slot:)`` when authentication fails (modified,
    ///   swapped from another slot, torn), ``EncryptedRegionError/rolledBack(slot:seen:found:)``.
    public func read(slot index: Int) throws -> [UInt8]? {
        try lock.withLock {
            let bytes = try slot(index)
            let generation = bytes.loadUnaligned(as: UInt64.self).littleEndian
            guard generation >= knownGenerations[index] else {
                throw EncryptedRegionError.rolledBack(slot: index, seen: knownGenerations[index], found: generation)
            }
            if generation == 0 {
                guard bytes.allSatisfy({ $0 == 0 }) else { throw EncryptedRegionError.tampered(slot: index) }
                return nil
            }
            let body = Array(bytes[8...])
            let opened: Data
            do {
                let box = try ChaChaPoly.SealedBox(combined: body)
                opened = try ChaChaPoly.open(box, using: key, authenticating: Self.associatedData(slot: index, generation: generation))
            } catch {
                throw EncryptedRegionError.tampered(slot: index)
            }
            var padded = [UInt8](opened)
            defer { padded.withUnsafeMutableBytes { Zeroize.bytes($0) } }
            let length = Int(padded[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            guard length <= slotCapacity else { throw EncryptedRegionError.tampered(slot: index) }
            knownGenerations[index] = generation
            return Array(padded[4..<(4 + length)])
        }
    }
}

/// Why an encrypted region refused an operation.
public enum EncryptedRegionError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The memory region is smaller than the slots need.
    case regionTooSmall(needed: Int, available: Int)
    /// The slot index is out of range.
    case noSuchSlot(Int)
    /// The plaintext is larger than a slot.
    case tooLarge(size: Int, capacity: Int)
    /// Authentication failed: the slot was modified, moved from another index, or read torn.
    case tampered(slot: Int)
    /// The slot holds an older generation than this instance has already seen.
    case rolledBack(slot: Int, seen: UInt64, found: UInt64)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .regionTooSmall(let needed, let available): "region has \(available) bytes, slots need \(needed); map a larger region"
        case .noSuchSlot(let index): "no slot \(index)"
        case .tooLarge(let size, let capacity): "\(size) bytes do not fit a \(capacity)-byte slot"
        case .tampered(let slot): "slot \(slot) failed authentication: modified, swapped or torn (synchronize writers and readers)"
        case .rolledBack(let slot, let seen, let found): "slot \(slot) rolled back from generation \(seen) to \(found)"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
