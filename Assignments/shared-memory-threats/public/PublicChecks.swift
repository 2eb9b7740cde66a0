import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The mapping the checks hand a submission: the checks own the bytes and read and change them
/// as an attacker with the same mapping would. Each access is one scheduling point (a load or
/// store of `mapping`) followed by the copy, so accesses are atomic but may interleave between
/// calls. An access outside the mapping fails the check.
final class CheckMemory: @unchecked Sendable {
    // Safety: `bytes` changes only right after a scheduling point, with no other in between,
    // and the engine runs one logical thread at a time.
    private(set) var bytes: [UInt8]
    private let tick = Shared(0, name: "mapping")

    init(count: Int, filledWith fill: UInt8 = 0) { bytes = Array(repeating: fill, count: count) }

    var access: MemoryAccess {
        MemoryAccess(
            count: bytes.count,
            load: { offset, length in
                _ = self.tick.load()
                guard offset >= 0, length >= 0, offset <= self.bytes.count - length else {
                    CheckFail("the code read \(length) bytes at offset \(offset) of a \(self.bytes.count)-byte mapping: outside it")
                    return []
                }
                return Array(self.bytes[offset..<(offset + length)])
            },
            store: { offset, new in
                self.tick.store(offset)
                guard offset >= 0, offset <= self.bytes.count - new.count else {
                    CheckFail("the code wrote \(new.count) bytes at offset \(offset) of a \(self.bytes.count)-byte mapping: outside it")
                    return
                }
                self.bytes.replaceSubrange(offset..<(offset + new.count), with: new)
            })
    }

    /// The attacker's view and hand (not scheduling points: the attacker acts between calls).
    func raw(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }
    func overwrite(_ new: [UInt8], at offset: Int) { bytes.replaceSubrange(offset..<(offset + new.count), with: new) }

    /// Where `needle` (at least one byte) occurs in the mapping, if anywhere.
    func find(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        return (0...(bytes.count - needle.count)).first { start in
            bytes[start] == needle[0] && Array(bytes[start..<(start + needle.count)]) == needle
        }
    }
}

/// The AEAD the checks hand a region: a keyed stand-in for ChaCha20-Poly1305 (a keystream and a
/// 16-byte tag from keyed hashes under a key drawn per sealer). The checks play the attacker and
/// never call it; it records every nonce and plaintext length it is asked to seal with.
final class CheckSealer: @unchecked Sendable {
    // Safety: `nonces` changes without a scheduling point in between (see `CheckMemory`).
    private let key: [UInt64]
    private(set) var nonces: [[UInt8]] = []

    init() {
        var generator = SystemRandomNumberGenerator()
        key = (0..<3).map { _ in generator.next() }
    }

    private func block(_ domain: Int, _ parts: [[UInt8]], _ index: Int) -> [UInt8] {
        var hasher = Hasher()
        hasher.combine(key[domain])
        hasher.combine(index)
        for part in parts { hasher.combine(part) }
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private func keystream(_ nonce: [UInt8], _ count: Int) -> [UInt8] {
        Array((0..<((count + 7) / 8)).flatMap { block(0, [nonce], $0) }.prefix(count))
    }

    private func tag(_ nonce: [UInt8], _ associatedData: [UInt8], _ ciphertext: [UInt8]) -> [UInt8] {
        block(1, [nonce, associatedData, ciphertext], 0) + block(2, [nonce, associatedData, ciphertext], 1)
    }

    var access: SealerAccess {
        SealerAccess(
            seal: { plaintext, nonce, associatedData in
                self.nonces.append(nonce)
                let ciphertext = zip(plaintext, self.keystream(nonce, plaintext.count)).map { $0 ^ $1 }
                return ciphertext + self.tag(nonce, associatedData, ciphertext)
            },
            open: { sealed, nonce, associatedData in
                guard sealed.count >= 16 else { return nil }
                let ciphertext = Array(sealed.dropLast(16))
                guard Array(sealed.suffix(16)) == self.tag(nonce, associatedData, ciphertext) else { return nil }
                return zip(ciphertext, self.keystream(nonce, ciphertext.count)).map { $0 ^ $1 }
            })
    }
}

/// The public checks, the XCTest way, and the vocabulary the hidden checks share.
class SharedMemoryThreatsChecks: CheckCase {
    var implementation: any ThreatsImplementation.Type { Submission.implementation }

    /// A region of `slots` slots over `memory` (fresh memory of the size the submission asks
    /// for, if nil) sealing with `sealer` (a fresh one, if nil).
    func makeRegion(slots: Int, capacity: Int, memory: CheckMemory? = nil, sealer: CheckSealer? = nil)
        -> (region: any RegionUnderTest, memory: CheckMemory, sealer: CheckSealer)
    {
        let size = implementation.regionByteCount(slotCount: slots, slotCapacity: capacity)
        let memory = memory ?? CheckMemory(count: size)
        let sealer = sealer ?? CheckSealer()
        switch implementation.makeRegion(memory: memory.access, slotCount: slots, slotCapacity: capacity, sealer: sealer.access) {
        case .success(let region): return (region, memory, sealer)
        case .failure(let refusal):
            CheckFail("a region of \(slots) slots of \(capacity) bytes over the \(memory.bytes.count) bytes it asked for was refused (\(refusal.rawValue))")
            fatalError("unreachable: a failed check ends its execution")
        }
    }

    /// Bytes per slot, from the layout the README specifies (slots of equal size from offset 0).
    func slotSize(slots: Int, capacity: Int) -> Int {
        let size = implementation.regionByteCount(slotCount: slots, slotCapacity: capacity)
        CheckAssert(size % slots == 0 && size == slots * implementation.regionByteCount(slotCount: 1, slotCapacity: capacity),
                    "regionByteCount must be slotCount × the bytes of one slot (the layout the README specifies); it gave \(size) for \(slots) slots")
        return size / slots
    }

    /// Writes, failing the check if a write the rules allow is refused.
    func write(_ region: any RegionUnderTest, _ plaintext: [UInt8], slot: Int, _ situation: String) {
        if let refusal = region.write(plaintext, toSlot: slot) {
            CheckFail("\(situation): writing \(plaintext.count) bytes to slot \(slot) was refused (\(refusal.rawValue))")
        }
    }

    /// Reads, failing the check unless the slot opens to `expected`.
    func expectRead(_ region: any RegionUnderTest, slot: Int, _ expected: [UInt8]?, _ situation: String) {
        switch region.read(slot: slot) {
        case .success(let found):
            CheckAssert(found == expected, "\(situation): slot \(slot) read as \(Self.show(found)), expected \(Self.show(expected))")
        case .failure(let refusal):
            CheckFail("\(situation): reading slot \(slot), untouched by anyone else, was refused (\(refusal.rawValue))")
        }
    }

    /// Reads, failing the check unless the read is refused (the attack was detected).
    func expectDetected(_ region: any RegionUnderTest, slot: Int, attack: String) {
        if case .success(let found) = region.read(slot: slot) {
            CheckFail("\(attack): reading slot \(slot) returned \(Self.show(found)) instead of refusing")
        }
    }

    /// A value in a message: its size only (the checks' own values stay with the grader).
    static func show(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "nil (never written)" }
        return "\(bytes.count) bytes"
    }

    /// Fixed-seed bytes, different for each `seed`.
    static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// Canary bytes for a pool.
    static let canary: [UInt8] = [0xC3, 0x5A, 0x17, 0xE8, 0x42, 0x9D, 0x6B, 0xF0]
    static let canarySize = 8

    /// A pool of `count` buffers over `memory` (fresh, of the size the README's layout gives, if nil).
    func makePool(bufferSize: Int, count: Int, memory: CheckMemory? = nil) -> (pool: any PoolUnderTest, memory: CheckMemory) {
        let size = count * bufferSize + (count + 1) * Self.canarySize
        CheckAssertEqual(implementation.poolByteCount(bufferSize: bufferSize, count: count), size,
                         "poolByteCount for \(count) buffers of \(bufferSize) bytes (the layout the README specifies)")
        let memory = memory ?? CheckMemory(count: size)
        switch implementation.makePool(memory: memory.access, bufferSize: bufferSize, count: count, canary: Self.canary) {
        case .success(let pool): return (pool, memory)
        case .failure(let refusal):
            CheckFail("a pool of \(count) buffers of \(bufferSize) bytes over \(size) bytes was refused (\(refusal.rawValue))")
            fatalError("unreachable: a failed check ends its execution")
        }
    }

    /// Where buffer `index` starts in a pool of `bufferSize`-byte buffers (README layout).
    static func bufferOffset(_ index: Int, bufferSize: Int) -> Int { index * (bufferSize + canarySize) + canarySize }

    func acquired(_ pool: any PoolUnderTest, _ situation: String) -> Int {
        guard let buffer = pool.acquire() else {
            CheckFail("\(situation): acquire found no free buffer")
            fatalError("unreachable: a failed check ends its execution")
        }
        return buffer
    }

    func expectBuffer(_ pool: any PoolUnderTest, _ buffer: Int, _ expected: [UInt8], _ situation: String) {
        switch pool.read(buffer) {
        case .success(let found):
            CheckAssert(found == expected, "\(situation): buffer \(buffer) read as \(Self.show(found)), expected \(Self.show(expected))")
        case .failure(let refusal):
            CheckFail("\(situation): reading buffer \(buffer) was refused (\(refusal.rawValue))")
        }
    }

    /// Slots written, overwritten, read back by a second instance over the same memory.
    func regionRoundTrip() {
        let capacity = 48
        let (region, memory, sealer) = makeRegion(slots: 4, capacity: capacity)
        _ = slotSize(slots: 4, capacity: capacity)
        for slot in 0..<4 { expectRead(region, slot: slot, nil, "a fresh region") }
        let values = [[], [7], Self.pattern(47, seed: 1), Self.pattern(48, seed: 2)]
        for (slot, value) in values.enumerated() { write(region, value, slot: slot, "a fresh region") }
        for (slot, value) in values.enumerated() { expectRead(region, slot: slot, value, "after writing every slot once") }
        write(region, Self.pattern(20, seed: 3), slot: 2, "overwriting")
        expectRead(region, slot: 2, Self.pattern(20, seed: 3), "after overwriting slot 2 with fewer bytes")
        CheckAssertEqual(region.write(Self.pattern(49, seed: 4), toSlot: 0), .tooLarge, "writing 49 bytes to a 48-byte slot")
        CheckAssertEqual(region.write([1], toSlot: 4), .noSuchSlot, "writing slot 4 of 4")
        if case .success = region.read(slot: -1) { CheckFail("reading slot -1 succeeded") }
        if case .success = region.read(slot: 4) { CheckFail("reading slot 4 of 4 succeeded") }
        let second = makeRegion(slots: 4, capacity: capacity, memory: memory, sealer: sealer).region
        expectRead(second, slot: 3, Self.pattern(48, seed: 2), "a second instance over the same mapping (another process)")
        write(second, [9, 9], slot: 1, "a second instance")
        expectRead(region, slot: 1, [9, 9], "the first instance after the second one wrote slot 1")
        let small = CheckMemory(count: implementation.regionByteCount(slotCount: 4, slotCapacity: capacity) - 1)
        if case .success = implementation.makeRegion(memory: small.access, slotCount: 4, slotCapacity: capacity, sealer: sealer.access) {
            CheckFail("a region over a mapping one byte smaller than it asked for was accepted")
        }
    }

    /// Buffers acquired until none is left, written, read, released and acquired again.
    func poolBasics() {
        let (pool, _) = makePool(bufferSize: 32, count: 3)
        let buffers = (0..<3).map { acquired(pool, "acquiring buffer \($0 + 1) of 3") }
        CheckAssertEqual(Set(buffers).count, 3, "three acquires gave the buffers \(buffers)")
        CheckAssert(pool.acquire() == nil, "a fourth acquire from a pool of three gave a buffer")
        CheckAssert(pool.write(Array("hello".utf8), to: buffers[0], at: 0) == nil, "writing 5 bytes at offset 0 of a 32-byte buffer was refused")
        CheckAssert(pool.write(Array("abcde".utf8), to: buffers[0], at: 27) == nil, "writing the last 5 bytes of a 32-byte buffer was refused")
        expectBuffer(pool, buffers[0], Array("hello".utf8) + Array(repeating: 0, count: 22) + Array("abcde".utf8), "after two writes")
        expectBuffer(pool, buffers[1], Array(repeating: 0, count: 32), "a buffer nobody wrote")
        CheckAssert(pool.release(buffers[1]) == nil, "releasing an acquired buffer was refused")
        let again = acquired(pool, "acquiring after a release")
        CheckAssertEqual(again, buffers[1], "the only free buffer")
        CheckAssert(pool.verify() == nil, "verify found an overflow nobody made")
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "region-round-trip", "slots written, overwritten and read back, also by a second instance over the same mapping",
                explanation: "each slot holds what was last written to it, for any process mapping the region with the key.",
                points: 10, property: .integrity, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                SharedMemoryThreatsChecks.regionRoundTrip),
            check(
                "pool-basics", "buffers acquired until none is left, written, read, released and acquired again",
                explanation: "a pool hands out each free buffer once, and a buffer holds what was written to it.",
                points: 10, property: .capacity, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                SharedMemoryThreatsChecks.poolBasics),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { SharedMemoryThreatsChecks.checks }
}
