import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

extension PeerMain {
    static func runChannelRole(_ role: String, _ arguments: [String]) throws -> Int32? {
        switch role {
        case "echo", "echo-then-die":
            let channel = try ChannelKind.openPeerEnd(try argument(arguments, 0))
            let limit = role == "echo" ? Int.max : try integer(arguments, 1)
            var buffer: [UInt8] = []
            var echoed = 0
            while echoed < limit {
                let count: Int
                do {
                    count = try channel.receive(into: &buffer, timeout: nil)
                } catch let error as IPCError where error.code == .peerClosed {
                    return 0
                }
                try buffer.withUnsafeBytes { try channel.send(UnsafeRawBufferPointer(rebasing: $0[0..<count]), timeout: nil) }
                echoed += 1
            }
            raise(SIGKILL)
            return 0
        case "sink":
            // Receives until the channel closes; an empty message asks for the byte total since
            // the last such request (8 bytes, little-endian), which ends a throughput batch.
            let channel = try ChannelKind.openPeerEnd(try argument(arguments, 0))
            var buffer: [UInt8] = []
            var total: UInt64 = 0
            while true {
                let count: Int
                do {
                    count = try channel.receive(into: &buffer, timeout: nil)
                } catch let error as IPCError where error.code == .peerClosed {
                    return 0
                }
                if count > 0 {
                    total += UInt64(count)
                    continue
                }
                try withUnsafeBytes(of: total.littleEndian) { try channel.send($0, timeout: nil) }
                total = 0
            }
        case "exit":
            return Int32(try integer(arguments, 0))
        case "sleep":
            if arguments.count > 1 && arguments[1] == "ignore-term" { signal(SIGTERM, SIG_IGN) }
            sleep(UInt32(try integer(arguments, 0)))
            return 0
        default:
            return nil
        }
    }

    static func runSharedMemoryRole(_ role: String, _ arguments: [String]) throws -> Int32? {
        switch role {
        case "shm-fill":
            let region = try SharedMemoryRegion.open(name: try argument(arguments, 0))
            let byte = UInt8(try integer(arguments, 1))
            _ = region.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: byte) }
            return 0
        case "sem-post":
            let semaphore = try NamedSemaphore.open(name: try argument(arguments, 0))
            for _ in 0..<(try integer(arguments, 1)) { try semaphore.post() }
            return 0
        case "mutex-die":
            let region = try SharedMemoryRegion.map(descriptor: 3)
            let mutex = try SharedMutex(region: region, offset: 0)
            _ = try mutex.lock(timeout: .seconds(5))
            raise(SIGKILL)
            return 0
        case "ring-produce":
            let region = try SharedMemoryRegion.map(descriptor: 3)
            let ring = try SharedRingBuffer(region: region, offset: try integer(arguments, 0), role: .producer)
            let size = try integer(arguments, 2)
            for index in 0..<(try integer(arguments, 1)) {
                try ring.send(count: size, timeout: .seconds(10)) { $0.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: index)) }
            }
            ring.close()
            return 0
        case "ring-die":
            let region = try SharedMemoryRegion.map(descriptor: 3)
            let ring = try SharedRingBuffer(region: region, offset: try integer(arguments, 0), role: .producer)
            withExtendedLifetime(ring) { _ = raise(SIGKILL) }
            return 0
        case "mp-produce":
            let region = try SharedMemoryRegion.map(descriptor: 3)
            let ring = try MultiProducerRing(region: region, role: .producer)
            let id = UInt8(try integer(arguments, 0))
            for sequence in 0..<UInt32(try integer(arguments, 1)) {
                var message = [id, 0, 0, 0, 0]
                withUnsafeBytes(of: sequence.littleEndian) { message.replaceSubrange(1..<5, with: $0) }
                try ring.send(message, timeout: .seconds(10))
            }
            ring.close()
            return 0
        default:
            return nil
        }
    }

    static func runCovertRole(_ role: String, _ arguments: [String]) throws -> Int32? {
        switch role {
        case "covert-storage-send":
            let signal = try StorageSignal(path: try argument(arguments, 0))
            let slots = CovertSlots(start: UInt64(try integer(arguments, 1)), slot: UInt64(try integer(arguments, 2)))
            for (index, bit) in CovertSlots.decode(try argument(arguments, 3)).enumerated() {
                CovertSlots.sleep(until: slots.begin(index))
                signal.set(bit)
            }
            CovertSlots.sleep(until: slots.begin(try argument(arguments, 3).count))
            return 0
        case "covert-timing-send":
            guard turnstile_pin_to_cpu(Int32(try integer(arguments, 0))) == 0 else { throw IPCError.system("sched_setaffinity") }
            let slots = CovertSlots(start: UInt64(try integer(arguments, 1)), slot: UInt64(try integer(arguments, 2)))
            for (index, bit) in CovertSlots.decode(try argument(arguments, 3)).enumerated() {
                if bit { CovertSlots.spin(until: slots.begin(index + 1)) } else { CovertSlots.sleep(until: slots.begin(index + 1)) }
            }
            return 0
        case "covert-jam":
            let kind = CovertChannelKind(rawValue: try argument(arguments, 0)) ?? .storage
            let target = try argument(arguments, 1)
            let slots = CovertSlots(start: UInt64(try integer(arguments, 2)), slot: UInt64(try integer(arguments, 3)))
            let count = try integer(arguments, 4)
            let probability = Double(try argument(arguments, 5)) ?? 0.5
            let signal = kind == .storage ? try StorageSignal(path: target) : nil
            if kind == .timing, turnstile_pin_to_cpu(Int32(target) ?? 0) != 0 { throw IPCError.system("sched_setaffinity") }
            for index in 0..<count {
                let jam = Double.random(in: 0..<1) < probability
                if let signal {
                    CovertSlots.sleep(until: slots.begin(index))
                    signal.set(jam)
                } else if jam {
                    CovertSlots.spin(until: slots.begin(index + 1))
                } else {
                    CovertSlots.sleep(until: slots.begin(index + 1))
                }
            }
            return 0
        default:
            return nil
        }
    }
}
