import Crypto
import ProcessIPC
import Testing

@testable import SecureIPC

#if canImport(Glibc)
    import Glibc
#endif

/// ``EncryptedSharedRegion`` on real POSIX shared memory: two mappings of one shm object stand
/// for two processes (and one test maps it in a second process for real).
@Suite(.serialized)
struct SharedMemoryRawRegionTests {
    static let slots = 4
    static let capacity = 48
    static let size = EncryptedSharedRegion.requiredByteCount(slotCount: slots, slotCapacity: capacity)

    @Test func twoMappingsShareSealedSlotsAndASwapThroughEitherIsRejected() throws {
        let name = IPCName.unique("sealed")
        let leftovers = try ResourceLedger.withTracking {
            let creator = try SharedMemoryRegion.create(name: name, size: Self.size)
            let opened = try SharedMemoryRegion.open(name: name, minimumSize: Self.size)
            #expect(creator.baseAddress != opened.baseAddress, "two distinct mappings")
            let key = SymmetricKey(size: .bits256)
            let writerBytes = try SharedMemoryRawRegion(creator)
            let readerBytes = try SharedMemoryRawRegion(opened)
            let writer = try EncryptedSharedRegion(region: writerBytes, slotCount: Self.slots, slotCapacity: Self.capacity, key: key)
            let reader = try EncryptedSharedRegion(region: readerBytes, slotCount: Self.slots, slotCapacity: Self.capacity, key: key)

            let grades = [Array("alice: 10/10".utf8), Array("bob: 3/10".utf8)]
            try writer.write(grades[0], toSlot: 0)
            try writer.write(grades[1], toSlot: 1)
            #expect(try reader.read(slot: 0) == grades[0])
            #expect(try reader.read(slot: 1) == grades[1])
            #expect(try reader.read(slot: 2) == nil)
            for grade in grades {
                #expect(!EncryptedSharedRegionTests.contains(readerBytes.bytes, Array(grade.prefix(6))), "plaintext in shm")
            }

            // Mallory, holding the other mapping, swaps the two sealed slots byte for byte.
            let stride = Self.size / Self.slots
            let first = Array(readerBytes.bytes[0..<stride])
            let second = Array(readerBytes.bytes[stride..<(2 * stride)])
            UnsafeMutableRawBufferPointer(rebasing: readerBytes.bytes[0..<stride]).copyBytes(from: second)
            UnsafeMutableRawBufferPointer(rebasing: readerBytes.bytes[stride..<(2 * stride)]).copyBytes(from: first)
            #expect(throws: EncryptedRegionError.tampered(slot: 0)) { try reader.read(slot: 0) }
            #expect(throws: EncryptedRegionError.tampered(slot: 1)) { try writer.read(slot: 1) }
        }
        #expect(leftovers.isEmpty, "leaked: \(leftovers)")
        #expect(access("/dev/shm" + name, F_OK) != 0, "\(name) left in /dev/shm")
    }

    @Test func anotherProcessOverwritingTheRegionIsRejected() throws {
        let name = IPCName.unique("sealed")
        let leftovers = try ResourceLedger.withTracking {
            let creator = try SharedMemoryRegion.create(name: name, size: Self.size)
            let region = try EncryptedSharedRegion(
                region: try SharedMemoryRawRegion(creator), slotCount: Self.slots, slotCapacity: Self.capacity,
                key: SymmetricKey(size: .bits256))
            try region.write(Array("exam key".utf8), toSlot: 3)
            let child = try PeerProcess.spawn(try PeerExecutable.locate(), arguments: ["shm-fill", name, "171"])
            #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            #expect(throws: EncryptedRegionError.tampered(slot: 3)) { try region.read(slot: 3) }
        }
        #expect(leftovers.isEmpty, "leaked: \(leftovers)")
        #expect(access("/dev/shm" + name, F_OK) != 0, "\(name) left in /dev/shm")
    }

    @Test func aRangeCoversPartOfTheMappingAndIsBoundsChecked() throws {
        let mapping = try SharedMemoryRegion.create(name: IPCName.unique("sealed"), size: Self.size + 64)
        let tail = try SharedMemoryRawRegion(mapping, offset: 64)
        #expect(tail.bytes.baseAddress == mapping.baseAddress + 64 && tail.bytes.count == Self.size)
        _ = try EncryptedSharedRegion(region: tail, slotCount: Self.slots, slotCapacity: Self.capacity, key: SymmetricKey(size: .bits256))
        #expect(throws: EncryptedRegionError.regionTooSmall(needed: Self.size, available: 64)) {
            try EncryptedSharedRegion(
                region: try SharedMemoryRawRegion(mapping, count: 64), slotCount: Self.slots, slotCapacity: Self.capacity,
                key: SymmetricKey(size: .bits256))
        }
        #expect(throws: IPCError.self) { try SharedMemoryRawRegion(mapping, offset: 100, count: Self.size) }
    }
}
