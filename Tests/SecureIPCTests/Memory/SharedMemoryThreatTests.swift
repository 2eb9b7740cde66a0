import Crypto
import Foundation
import Testing

@testable import SecureIPC

struct EncryptedSharedRegionTests {
    static func make(slots: Int = 4, capacity: Int = 64) throws -> (HeapMemoryRegion, EncryptedSharedRegion) {
        let region = HeapMemoryRegion(byteCount: EncryptedSharedRegion.requiredByteCount(slotCount: slots, slotCapacity: capacity))
        return (region, try EncryptedSharedRegion(region: region, slotCount: slots, slotCapacity: capacity, key: SymmetricKey(size: .bits256)))
    }

    static func contains(_ haystack: UnsafeMutableRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let bytes = Array(haystack)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test func roundTripAndNoPlaintextInRawBytes() throws {
        let (raw, region) = try Self.make()
        #expect(try region.read(slot: 1) == nil)
        let secret = Array("the exam answers are 42 and 17!".utf8)
        try region.write(secret, toSlot: 1)
        try region.write([], toSlot: 2)
        #expect(try region.read(slot: 1) == secret)
        #expect(try region.read(slot: 2) == [])
        for window in 0...(secret.count - 6) {
            #expect(!Self.contains(raw.bytes, Array(secret[window..<(window + 6)])), "plaintext window at \(window) visible")
        }
        #expect(throws: EncryptedRegionError.tooLarge(size: 65, capacity: 64)) { try region.write([UInt8](repeating: 1, count: 65), toSlot: 0) }
        #expect(throws: EncryptedRegionError.noSuchSlot(4)) { try region.read(slot: 4) }
    }

    @Test func swappingSlotsIsDetected() throws {
        let (raw, region) = try Self.make()
        try region.write(Array("alice: 10".utf8), toSlot: 0)
        try region.write(Array("bob: 99".utf8), toSlot: 1)
        let stride = raw.bytes.count / 4
        let first = Array(raw.bytes[0..<stride])
        let second = Array(raw.bytes[stride..<(2 * stride)])
        UnsafeMutableRawBufferPointer(rebasing: raw.bytes[0..<stride]).copyBytes(from: second)
        UnsafeMutableRawBufferPointer(rebasing: raw.bytes[stride..<(2 * stride)]).copyBytes(from: first)
        #expect(throws: EncryptedRegionError.tampered(slot: 0)) { try region.read(slot: 0) }
        #expect(throws: EncryptedRegionError.tampered(slot: 1)) { try region.read(slot: 1) }
    }

    @Test func rollbackIsDetected() throws {
        let (raw, region) = try Self.make()
        let stride = raw.bytes.count / 4
        try region.write(Array("balance 100".utf8), toSlot: 2)
        let old = Array(raw.bytes[(2 * stride)..<(3 * stride)])
        try region.write(Array("balance 0".utf8), toSlot: 2)
        UnsafeMutableRawBufferPointer(rebasing: raw.bytes[(2 * stride)..<(3 * stride)]).copyBytes(from: old)
        #expect(throws: EncryptedRegionError.rolledBack(slot: 2, seen: 2, found: 1)) { try region.read(slot: 2) }
        // Rolling back to "never written" (zeros) is caught too.
        UnsafeMutableRawBufferPointer(rebasing: raw.bytes[(2 * stride)..<(3 * stride)]).initializeMemory(as: UInt8.self, repeating: 0)
        #expect(throws: EncryptedRegionError.rolledBack(slot: 2, seen: 2, found: 0)) { try region.read(slot: 2) }
    }

    @Test func everyFlippedByteIsDetected() throws {
        let (raw, region) = try Self.make(slots: 1, capacity: 8)
        try region.write([1, 2, 3], toSlot: 0)
        // Byte 0..7 is the generation: flipping raises it (tampered) or lowers it (rolled back).
        for position in 0..<raw.bytes.count {
            raw.bytes[position] ^= 0x01
            #expect(throws: (any Error).self, "byte \(position)") { try region.read(slot: 0) }
            raw.bytes[position] ^= 0x01
        }
        #expect(try region.read(slot: 0) == [1, 2, 3])
    }

    @Test func secondInstanceWithTheKeyReadsWhatTheFirstWrote() throws {
        let key = SymmetricKey(size: .bits256)
        let raw = HeapMemoryRegion(byteCount: EncryptedSharedRegion.requiredByteCount(slotCount: 2, slotCapacity: 16))
        let writer = try EncryptedSharedRegion(region: raw, slotCount: 2, slotCapacity: 16, key: key)
        let reader = try EncryptedSharedRegion(region: raw, slotCount: 2, slotCapacity: 16, key: key)
        let outsider = try EncryptedSharedRegion(region: raw, slotCount: 2, slotCapacity: 16, key: SymmetricKey(size: .bits256))
        try writer.write([5, 6], toSlot: 1)
        #expect(try reader.read(slot: 1) == [5, 6])
        #expect(throws: EncryptedRegionError.tampered(slot: 1)) { try outsider.read(slot: 1) }
        #expect(throws: EncryptedRegionError.regionTooSmall(needed: EncryptedSharedRegion.requiredByteCount(slotCount: 3, slotCapacity: 16), available: raw.bytes.count)) {
            try EncryptedSharedRegion(region: raw, slotCount: 3, slotCapacity: 16, key: key)
        }
    }
}

struct BufferHygieneTests {
    /// The insecure pool leaks the previous user's secret; the zeroizing pool does not.
    @Test(arguments: [true, false])
    func reusedBuffersNeverExposeEarlierData(zeroizing: Bool) {
        let pool = ZeroizingBufferPool(bufferSize: 256, capacity: 2, zeroizesOnRelease: zeroizing)
        let secret = Array("private key material".utf8)
        let first = pool.acquire()
        first.bytes.copyBytes(from: secret)
        let address = first.bytes.baseAddress
        pool.release(first)
        let second = pool.acquire()
        #expect(second.bytes.baseAddress == address, "the pool must reuse the buffer for this test to mean anything")
        let leaked = Array(second.bytes.prefix(secret.count)) == secret
        #expect(leaked == !zeroizing)
        if zeroizing { #expect(second.bytes.allSatisfy { $0 == 0 }) }
        pool.release(second)
        let viaScope = pool.withBuffer { bytes in
            bytes.storeBytes(of: 0xAB, as: UInt8.self)
            return bytes.baseAddress
        }
        #expect(viaScope == address)
        if zeroizing { #expect(pool.acquire().bytes.allSatisfy { $0 == 0 }) }
    }

    @Test func checkedWritesStayInBounds() throws {
        let buffer = GuardedBuffer(fieldCount: 3, fieldSize: 16)
        try buffer.write(Array(repeating: 7, count: 16), field: 1)
        #expect(throws: GuardedBufferError.outOfBounds(field: 1, offset: 10, length: 7, fieldSize: 16)) {
            try buffer.write(Array(repeating: 9, count: 7), field: 1, offset: 10)
        }
        #expect(throws: GuardedBufferError.noSuchField(3)) { try buffer.write([1], field: 3) }
        try buffer.verifyCanaries()
        #expect(try buffer.read(field: 1) == Array(repeating: 7, count: 16))
        #expect(try buffer.read(field: 2) == Array(repeating: 0, count: 16))
    }

    /// An unchecked copy one byte too long overflows field 0 into the canary before field 1.
    @Test(arguments: [1, 8, 20])
    func overflowIntoTheNeighbourIsDetected(excess: Int) throws {
        let buffer = GuardedBuffer(fieldCount: 2, fieldSize: 16)
        buffer.uncheckedWrite(Array(repeating: 0x41, count: 16 + excess), field: 0)
        #expect(throws: GuardedBufferError.overflowDetected(canary: 1)) { try buffer.verifyCanaries() }
        #expect(throws: GuardedBufferError.overflowDetected(canary: 1)) { try buffer.read(field: 1) }
        #expect(throws: GuardedBufferError.overflowDetected(canary: 1)) { try buffer.read(field: 0) }
    }

    /// The early-exit comparison's work reveals the matching prefix, enough to recover a secret
    /// in 256 × length guesses; the constant-time comparison's work is flat, and recovery fails.
    @Test func earlyExitComparisonLeaksAndConstantTimeDoesNot() {
        let secret: [UInt8] = [0x5E, 0xC2, 0xE7, 0x01, 0xFF, 0x00, 0x9A, 0x33]
        var works: Set<Int> = []
        for prefix in 0...secret.count {
            var guess = Array(secret.prefix(prefix)) + [UInt8](repeating: 0xAA, count: secret.count - prefix)
            if prefix < secret.count && guess[prefix] == secret[prefix] { guess[prefix] ^= 1 }
            var early = 0, constant = 0
            _ = ComparisonSideChannel.earlyExitEquals(secret, guess, work: &early)
            _ = ComparisonSideChannel.constantTimeEquals(secret, guess, work: &constant)
            #expect(early == min(prefix + 1, secret.count))
            #expect(constant == secret.count)
            works.insert(early)
        }
        #expect(works.count == secret.count)
        let leaky = ComparisonSideChannel.recoverByWork(length: secret.count) { guess in
            var work = 0
            return (ComparisonSideChannel.earlyExitEquals(secret, guess, work: &work), work)
        }
        #expect(leaky.guess == secret)
        #expect(leaky.queries <= 256 * secret.count)
        let safe = ComparisonSideChannel.recoverByWork(length: secret.count) { guess in
            var work = 0
            return (ComparisonSideChannel.constantTimeEquals(secret, guess, work: &work), work)
        }
        #expect(safe.guess != secret)
    }
}
