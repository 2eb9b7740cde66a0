import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct SharedMemoryRegionTests {
        @Test func createOpenAndUnlinkOnRelease() throws {
            try expectNoLeaks {
                let name = IPCName.unique("region")
                do {
                    let region = try SharedMemoryRegion.create(name: name, size: 4096)
                    try region.bytes(at: 100, count: 4).copyBytes(from: [1, 2, 3, 4])
                    let other = try SharedMemoryRegion.open(name: name, minimumSize: 4096)
                    #expect(Array(try other.bytes(at: 100, count: 4)) == [1, 2, 3, 4])
                    #expect(other.size == 4096)
                    #expect(access("/dev/shm\(name)", F_OK) == 0)
                }
                #expect(access("/dev/shm\(name)", F_OK) != 0, "the creator unlinks on release")
            }
        }

        @Test func rejectsBadNamesSizesAndDuplicates() throws {
            try expectNoLeaks {
                let name = IPCName.unique("region")
                #expect(errorCode { _ = try SharedMemoryRegion.create(name: "no-slash", size: 64) } == .invalidArgument)
                #expect(errorCode { _ = try SharedMemoryRegion.create(name: name, size: 0) } == .invalidSize)
                #expect(errorCode { _ = try SharedMemoryRegion.open(name: name) } == .notFound)
                let region = try SharedMemoryRegion.create(name: name, size: 128)
                #expect(errorCode { _ = try SharedMemoryRegion.create(name: name, size: 128) } == .alreadyExists)
                #expect(errorCode { _ = try SharedMemoryRegion.open(name: name, minimumSize: 4096) } == .invalidSize)
                withExtendedLifetime(region) {}
            }
        }

        @Test func typedViewsAreBoundsAndAlignmentChecked() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("region"), size: 64)
                let words = try region.buffer(of: UInt64.self, at: 8, count: 7)
                words[6] = 0xDEAD_BEEF
                #expect(try region.pointer(to: UInt64.self, at: 56).pointee == 0xDEAD_BEEF)
                #expect(errorCode { _ = try region.buffer(of: UInt64.self, at: 8, count: 8) } == .invalidSize)
                #expect(errorCode { _ = try region.pointer(to: UInt64.self, at: 4) } == .invalidArgument)
                #expect(errorCode { _ = try region.bytes(at: -1, count: 1) } == .invalidSize)
            }
        }

        @Test func anotherProcessWritesByName() throws {
            try expectNoLeaks {
                let name = IPCName.unique("region")
                let region = try SharedMemoryRegion.create(name: name, size: 8192)
                let child = try PeerProcess.spawn(try peer(), arguments: ["shm-fill", name, "171"])
                #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
                let bytes = try region.bytes(at: 0, count: 8192)
                #expect(bytes.allSatisfy { $0 == 171 })
            }
        }

        @Test func explicitUnlinkAndMappingByDescriptor() throws {
            try expectNoLeaks {
                let name = IPCName.unique("region")
                let region = try SharedMemoryRegion.create(name: name, size: 256)
                try region.unlink()
                try region.unlink()  // twice is fine
                #expect(access("/dev/shm\(name)", F_OK) != 0)
                let view = try SharedMemoryRegion.map(descriptor: region.descriptor, minimumSize: 256)
                try region.bytes(at: 0, count: 1).storeBytes(of: 42, as: UInt8.self)
                #expect(try view.bytes(at: 0, count: 1)[0] == 42)
                #expect(errorCode { _ = try SharedMemoryRegion.map(descriptor: region.descriptor, minimumSize: 512) } == .invalidSize)
            }
        }
    }
}
