import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct SharedRingBufferTests {
        /// A region with one formatted ring and both ends attached in this process.
        func makeRing(capacity: Int = 1024) throws -> (SharedMemoryRegion, SharedRingBuffer, SharedRingBuffer) {
            let region = try SharedMemoryRegion.create(
                name: IPCName.unique("ring"), size: SharedRingBuffer.regionSize(capacity: capacity))
            let producer = try SharedRingBuffer.format(in: region, capacity: capacity, role: .producer)
            let consumer = try SharedRingBuffer(region: region, role: .consumer)
            return (region, producer, consumer)
        }

        @Test func deliversVariableSizedMessagesInOrderAcrossTheWrap() throws {
            try expectNoLeaks {
                let (_, producer, consumer) = try makeRing(capacity: 1024)
                // 40 rounds of 3 messages push the positions around the ring many times.
                for round in 0..<40 {
                    let sizes = [0, 1 + round % 13, 200 + round * 7 % 300]
                    for size in sizes { try producer.send(pattern(size, seed: round), timeout: .seconds(1)) }
                    for size in sizes { #expect(try consumer.receive(timeout: .seconds(1)) == pattern(size, seed: round)) }
                }
            }
        }

        @Test func fullRingTimesOutAndEmptyRingTimesOut() throws {
            try expectNoLeaks {
                let (_, producer, consumer) = try makeRing(capacity: 256)
                let emptyWait = errorCode { _ = try consumer.receive(timeout: .milliseconds(30)) }
                #expect(emptyWait == .timedOut)
                var sent = 0
                var fullWait: IPCError.Code?
                while fullWait == nil {
                    fullWait = errorCode { try producer.send(pattern(100), timeout: .milliseconds(30)) }
                    if fullWait == nil { sent += 1 }
                }
                #expect(fullWait == .timedOut)
                #expect(sent == 2, "256 bytes hold two 112-byte records")
                _ = try consumer.receive(timeout: .seconds(1))
                try producer.send(pattern(100), timeout: .seconds(1))
            }
        }

        @Test func rejectsOversizedMessagesAndBadCapacities() throws {
            try expectNoLeaks {
                let (region, producer, _) = try makeRing(capacity: 256)
                #expect(producer.maximumMessageSize == 120)
                #expect(errorCode { try producer.send(pattern(121)) } == .messageTooLarge)
                #expect(errorCode { _ = try SharedRingBuffer.format(in: region, capacity: 100, role: .producer) } == .invalidSize)
                #expect(errorCode { _ = try SharedRingBuffer.format(in: region, capacity: 4096, role: .producer) } == .invalidSize)
                let blank = try SharedMemoryRegion.create(name: IPCName.unique("blank"), size: 4096)
                #expect(errorCode { _ = try SharedRingBuffer(region: blank, role: .consumer) } == .protocolViolation)
            }
        }

        @Test func closedProducerIsDrainedThenReported() throws {
            try expectNoLeaks {
                let (_, producer, consumer) = try makeRing()
                try producer.send([7])
                producer.close()
                #expect(try consumer.receive(timeout: .seconds(1)) == [7])
                #expect(errorCode { _ = try consumer.receive(timeout: .seconds(1)) } == .peerClosed)
                consumer.close()
            }
        }

        @Test(arguments: [Duration.microseconds(50), .zero])
        func messagesFromAnotherProcessArriveIntact(spin: Duration) throws {
            try expectNoLeaks {
                let capacity = 4096
                let region = try SharedMemoryRegion.create(
                    name: IPCName.unique("ring"), size: SharedRingBuffer.regionSize(capacity: capacity))
                let consumer = try SharedRingBuffer.format(in: region, capacity: capacity, role: .consumer)
                consumer.spinDuration = spin
                let child = try PeerProcess.spawn(try peer(), arguments: ["ring-produce", "0", "500", "300"], passing: [region.descriptor])
                for index in 0..<500 {
                    let message = try consumer.receive(timeout: .seconds(10))
                    #expect(message.count == 300 && message.allSatisfy { $0 == UInt8(truncatingIfNeeded: index) })
                }
                #expect(errorCode { _ = try consumer.receive(timeout: .seconds(10)) } == .peerClosed)
                #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            }
        }

        @Test func killedProducerEndsTheWaitInsteadOfHangingForever() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("ring"), size: SharedRingBuffer.regionSize(capacity: 1024))
                let consumer = try SharedRingBuffer.format(in: region, capacity: 1024, role: .consumer)
                let child = try PeerProcess.spawn(try peer(), arguments: ["ring-die", "0"], passing: [region.descriptor])
                #expect(try child.wait(timeout: .seconds(10)) == .signaled(SIGKILL))
                // No timeout: only the liveness check can end this wait.
                #expect(errorCode { _ = try consumer.receive() } == .peerVanished)
            }
        }
    }

    @Suite struct HostileRingTests {
        /// The other end may be another student's broken or hostile program: positions out of
        /// range are protocol violations, not arithmetic traps that would end this process.
        @Test func positionsOutOfRangeAreProtocolViolations() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("ring"), size: SharedRingBuffer.regionSize(capacity: 1024))
                let producer = try SharedRingBuffer.format(in: region, capacity: 1024, role: .producer)
                let consumer = try SharedRingBuffer(region: region, role: .consumer)
                try producer.send([1, 2, 3])
                let tail = (region.baseAddress + 64).load(as: UInt64.self)
                // A head past the tail (the consumer "consumed" what was never sent).
                (region.baseAddress + 128).storeBytes(of: tail + 64, as: UInt64.self)
                #expect(errorCode { try producer.send([4]) } == .protocolViolation)
                // A tail more than a ring ahead of the head.
                (region.baseAddress + 128).storeBytes(of: 0, as: UInt64.self)
                (region.baseAddress + 64).storeBytes(of: 4_096, as: UInt64.self)
                #expect(errorCode { _ = try consumer.receive(timeout: .zero) } == .protocolViolation)
            }
        }

        /// Across PID namespaces the pid word says nothing; a liveness check given instead ends a
        /// wait on a peer that is gone.
        @Test func aGivenLivenessCheckReplacesThePIDWord() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("ring"), size: SharedRingBuffer.regionSize(capacity: 1024))
                let consumer = try SharedRingBuffer.format(in: region, capacity: 1024, role: .consumer)
                let producer = try SharedRingBuffer(region: region, role: .producer)
                _ = producer  // attached (its pid, ours, is alive): only the check can say "gone"
                consumer.peerLiveness = PeerLiveness { false }
                #expect(errorCode { _ = try consumer.receive() } == .peerVanished)
                #expect(consumer.usedBytes == 0)
                try producer.send([9, 9])
                #expect(consumer.usedBytes == 16)
            }
        }
    }

    @Suite struct MultiProducerRingTests {
        @Test func threeProducerProcessesEachKeepTheirOrder() throws {
            try expectNoLeaks {
                let capacity = 4096
                let region = try SharedMemoryRegion.create(
                    name: IPCName.unique("mpring"), size: MultiProducerRing.regionSize(capacity: capacity))
                let consumer = try MultiProducerRing.format(in: region, capacity: capacity, role: .consumer, producers: 3)
                let children = try (1...3).map {
                    try PeerProcess.spawn(try peer(), arguments: ["mp-produce", "\($0)", "300"], passing: [region.descriptor])
                }
                var next: [UInt8: UInt32] = [1: 0, 2: 0, 3: 0]
                for _ in 0..<900 {
                    let message = try consumer.receive(timeout: .seconds(10))
                    let sequence = message[1..<5].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
                    #expect(next[message[0]] == sequence)
                    next[message[0]] = sequence + 1
                }
                #expect(next == [1: 300, 2: 300, 3: 300])
                for child in children { #expect(try child.wait(timeout: .seconds(10)) == .exited(0)) }
                #expect(errorCode { _ = try consumer.receive(timeout: .seconds(10)) } == .peerClosed)
            }
        }
    }
}
