import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct CovertChannelTests {
        @Test func binaryEntropyAndCapacityFollowShannon() {
            #expect(CovertChannelMeasurement.binaryEntropy(0) == 0)
            #expect(CovertChannelMeasurement.binaryEntropy(1) == 0)
            #expect(CovertChannelMeasurement.binaryEntropy(0.5) == 1)
            #expect(abs(CovertChannelMeasurement.binaryEntropy(0.11) - 0.4999) < 0.001)
            #expect(CovertChannelMeasurement.capacity(rate: 500, errorRate: 0) == 500)
            #expect(CovertChannelMeasurement.capacity(rate: 500, errorRate: 0.5) == 0)
            let run = CovertChannelMeasurement(kind: .storage, mitigation: .none, bits: 200, errors: 22, slotSeconds: 0.002)
            #expect(run.rawRate == 500)
            #expect(abs(run.errorRate - 0.11) < 1e-12)
            #expect(abs(run.capacity - 500 * (1 - CovertChannelMeasurement.binaryEntropy(0.11))) < 1e-9)
        }

        @Test func errorsCountFlipsAndMissingBits() {
            #expect(CovertChannelMeasurement.errors(sent: [true, false, true], received: [true, true, true]) == 1)
            #expect(CovertChannelMeasurement.errors(sent: [true, false, true], received: [true]) == 2)
            #expect(CovertSlots.decode(CovertSlots.encode([true, false, false, true])) == [true, false, false, true])
        }

        @Test func timingDecoderCalibratesOnThePreamble() {
            let preamble = TimingDecoder.preamble(4)
            #expect(preamble == [true, false, true, false])
            let decoder = TimingDecoder(preamble: preamble, counts: [40, 100, 60, 100])
            #expect(decoder.threshold == 75)
            #expect(decoder.bit(forCount: 50) && !decoder.bit(forCount: 90))
        }

        @Test func slotsAreAFixedGrid() {
            let slots = CovertSlots(start: 1_000, slot: 100)
            #expect(slots.begin(3) == 1_300 && slots.middle(3) == 1_350)
        }

        @Test func storageSignalIsTheLockStateAndPartitioningHidesIt() throws {
            try expectNoLeaks {
                let path = "/tmp" + IPCName.unique("covert") + ".lock"
                defer { unlink(path); unlink(path + ".sender") }
                let receiver = try StorageSignal(path: path)
                let sender = try StorageSignal(path: path)
                let partitioned = try StorageSignal(path: path + ".sender")
                #expect(!receiver.probe())
                sender.set(true)
                #expect(receiver.probe())
                sender.set(false)
                #expect(!receiver.probe())
                partitioned.set(true)
                #expect(!receiver.probe(), "a private instance of the file carries nothing")
                partitioned.close()
            }
        }

        /// A real two-process run; only its structure is checked (timing varies by machine).
        @Test func aRealStorageRunReportsConsistentFigures() throws {
            try expectNoLeaks {
                let run = try CovertChannelDemo.measure(
                    kind: .storage, bits: 24, slot: .milliseconds(4), mitigation: .none, executable: try peer())
                #expect(run.bits == 24 && (0...24).contains(run.errors))
                #expect(run.rawRate == 250)
                #expect(run.capacity <= run.rawRate && run.capacity >= 0)
                let report = CovertChannelReport(before: run, after: run)
                #expect(report.description.contains("storage covert channel"))
                #expect(report.description.split(separator: "\n").count == 5)
            }
        }

        @Test func mitigationsDescribeThemselves() {
            #expect(CovertMitigation.noise(probability: 0.5).description == "noise 50%")
            #expect(CovertChannelDemo.defaultMitigation(for: .timing) == .partitioning)
            #expect(fixed(0.1234, 3) == "0.123" && fixed(12, 1) == "12.0" && fixed(.nan, 2) == "n/a")
        }
    }
}
