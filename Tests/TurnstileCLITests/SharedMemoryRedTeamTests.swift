import Testing

/// The shared-memory assignment graded end to end in the sandbox against programs that attack
/// the one channel they share with the grader's peer: the memory itself. A program that
/// scribbles over every ring it reaches (header words, positions, records, capacity) or goes
/// looking for other objects in `/dev/shm` answers nothing, so its honest score is 0 — and every
/// check must end *failed*, with what was wrong, never as the grader's error (a trapped peer) or
/// incomplete (a peer looping on garbage). The correct controls keep 100.
@Suite(.serialized)
struct SharedMemoryRedTeamTests {
    static let assignment = "shared-memory"
    static let file = "Sources/SharedMemory/RingEnd.swift"

    /// A `RingEnd` whose attach and create run `attack` on the mapped region, and which sends
    /// and receives nothing.
    static func hostile(_ attack: String) -> String {
        """
        import Glibc

        public enum RingError: Error, Equatable {
            case peerVanished, peerClosed, messageTooLarge(Int), notARing(String), system(call: String, errno: Int32)
        }

        public final class RingEnd {
            public enum Role: Sendable { case producer, consumer }
            public let role: Role
            public let capacity: Int
            public var maximumMessageSize: Int { capacity / 2 - 8 }
            init(role: Role) {
                self.role = role
                capacity = 4_096
            }

            static func attack(_ base: UnsafeMutableRawPointer, _ size: Int) {
        \(attack)
            }

            static func mapped(_ fd: Int32, _ size: Int) -> UnsafeMutableRawPointer? {
                guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else { return nil }
                return base
            }

            public static func create(name: String, capacity: Int, role: Role, peer: Int32) throws -> RingEnd {
                let fd = shm_open(name, O_CREAT | O_RDWR, 0o600)
                let size = 512 + capacity
                _ = ftruncate(fd, off_t(size))
                if let base = mapped(fd, size) {
                    base.storeBytes(of: 0x5453_5242 as UInt32, as: UInt32.self)
                    base.storeBytes(of: 1 as UInt32, toByteOffset: 4, as: UInt32.self)
                    attack(base, size)
                }
                sleep(1)
                return RingEnd(role: role)
            }

            public static func attach(descriptor: Int32, role: Role, peer: Int32) throws -> RingEnd {
                var info = stat()
                _ = fstat(descriptor, &info)
                if let base = mapped(descriptor, Int(info.st_size)) { attack(base, Int(info.st_size)) }
                return RingEnd(role: role)
            }

            public func send(_ message: [UInt8]) throws {}
            public func receive() throws -> [UInt8]? { sleep(1); return nil }
            public func close() {}
        }

        """
    }

    static let attacks: [String: String] = [
        // Every position, flag and record garbage; the capacity absurd; records whose lengths
        // point past the end; wrap records everywhere (a peer that follows them forever hangs).
        "scribble-everything": """
                var state: UInt64 = 0x9E37_79B9_7F4A_7C15
                for offset in stride(from: 8, to: size, by: 8) {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    base.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
                }
            """,
        "positions-out-of-range": """
                base.storeBytes(of: UInt64(1) << 62, toByteOffset: 64, as: UInt64.self)   // tail
                base.storeBytes(of: UInt64(1) << 61, toByteOffset: 128, as: UInt64.self)  // head
                base.storeBytes(of: 0 as UInt64, toByteOffset: 8, as: UInt64.self)        // capacity
            """,
        "endless-wrap-records": """
                base.storeBytes(of: UInt64(1) << 60, toByteOffset: 64, as: UInt64.self)   // tail far ahead
                for offset in stride(from: 512, to: size, by: 8) {
                    base.storeBytes(of: UInt32(size - offset - 8), toByteOffset: offset, as: UInt32.self)
                    base.storeBytes(of: 2 as UInt32, toByteOffset: offset + 4, as: UInt32.self)
                }
            """,
        "look-for-other-objects": """
                // Anything else in /dev/shm (another run's ring, the grader's) is scribbled on too.
                if let directory = opendir("/dev/shm") {
                    while let entry = readdir(directory) {
                        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                        guard name != ".", name != ".." else { continue }
                        let fd = open("/dev/shm/" + name, O_RDWR)
                        guard fd >= 0 else { continue }
                        var info = stat()
                        _ = fstat(fd, &info)
                        if info.st_size > 0, let other = mapped(fd, Int(info.st_size)) {
                            other.initializeMemory(as: UInt8.self, repeating: 0xFF, count: Int(info.st_size))
                        }
                        Glibc.close(fd)
                    }
                    closedir(directory)
                }
                base.initializeMemory(as: UInt8.self, repeating: 0xFF, count: size)
            """,
    ]

    @Test func aHostileRingEndGetsTheHonestScoreAndEveryCheckFails() throws {
        _ = try ProcessRedTeamTests.gradeAttacks(
            assignment: Self.assignment, file: Self.file, alternatives: ["watcher-thread"], attacks: Self.attacks, make: Self.hostile)
    }
}
