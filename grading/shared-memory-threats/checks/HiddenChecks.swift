import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks: the checks own the mapping and play an attacker who can read and change
/// every byte of it between calls, but holds no key. Each attack check also takes the honest
/// path beside it. Sequential checks run once under the engine; the concurrent one under PCT
/// with a fixed seed, so a regrade gives the same result.
final class HiddenSharedMemoryThreatsChecks: SharedMemoryThreatsChecks {
    /// Every slot written with random bytes, some twice, some read: no run of 8 plaintext bytes
    /// is anywhere in the mapping.
    func noPlaintextInMemory() {
        let slots = 6, capacity = 64
        let (region, memory, _) = makeRegion(slots: slots, capacity: capacity)
        var written: [[UInt8]] = []
        for round in 0..<2 {
            for slot in 0..<slots {
                let value = Self.pattern(capacity - slot * 7, seed: UInt64(100 + round * slots + slot))
                write(region, value, slot: slot, "writing random bytes")
                written.append(value)
            }
            for slot in stride(from: 0, to: slots, by: 2) { _ = region.read(slot: slot) }
        }
        // Text a person would recognise too.
        let text = Array("PIN 4711, the launch code is 0000, meet at noon".utf8)
        write(region, Array(text.prefix(capacity)), slot: 0, "writing text")
        written.append(text)
        expectRead(region, slot: 0, text, "reading the text back")
        for value in written where value.count >= 8 {
            for start in stride(from: 0, through: value.count - 8, by: 4) {
                let run = Array(value[start..<(start + 8)])
                if let offset = memory.find(run) {
                    CheckFail("the mapping holds plaintext: bytes \(start)..<\(start + 8) of a value written to the region are at offset \(offset), readable by any process that maps it")
                }
            }
        }
    }

    /// Two sealed slots swapped byte for byte.
    func swappedSlots() {
        let slots = 3, capacity = 32
        let (region, memory, _) = makeRegion(slots: slots, capacity: capacity)
        let size = slotSize(slots: slots, capacity: capacity)
        write(region, Self.pattern(32, seed: 1), slot: 0, "writing slot 0")
        write(region, Self.pattern(32, seed: 2), slot: 1, "writing slot 1")
        write(region, Self.pattern(5, seed: 3), slot: 2, "writing slot 2")
        let first = memory.raw(0..<size), second = memory.raw(size..<(2 * size))
        memory.overwrite(second, at: 0)
        memory.overwrite(first, at: size)
        expectDetected(region, slot: 0, attack: "slot 1's sealed bytes copied over slot 0 (a swap)")
        expectDetected(region, slot: 1, attack: "slot 0's sealed bytes copied over slot 1 (a swap)")
        expectRead(region, slot: 2, Self.pattern(5, seed: 3), "a slot the swap did not touch")
        memory.overwrite(first, at: 0)
        memory.overwrite(second, at: size)
        expectRead(region, slot: 0, Self.pattern(32, seed: 1), "slot 0 after its own bytes were put back")
        // A slot of another region under the same key, at the same index.
        let (other, otherMemory, _) = makeRegion(slots: slots, capacity: capacity)
        write(other, Self.pattern(32, seed: 9), slot: 2, "writing another region")
        _ = other
        memory.overwrite(otherMemory.raw((2 * size)..<(3 * size)), at: 2 * size)
        expectDetected(region, slot: 2, attack: "slot 2 of another region (sealed under another key) copied over slot 2")
    }

    /// Fails if a read returns anything but the slot's newest value: a refusal or the newest
    /// value are the only right answers once an attacker has put older bytes back.
    func expectNoRollback(_ region: any RegionUnderTest, slot: Int, newest: [UInt8], attack: String) {
        if case .success(let found) = region.read(slot: slot), found != newest {
            CheckFail("\(attack): reading slot \(slot) returned \(Self.show(found)) instead of refusing (the newest value was \(Self.show(newest)))")
        }
    }

    /// Old sealed bytes put back: by one instance, by another that read the newer value, spliced
    /// with the newer value's bytes, and a slot erased to zeros.
    func rolledBackSlot() {
        let slots = 2, capacity = 24
        let (region, memory, sealer) = makeRegion(slots: slots, capacity: capacity)
        let size = slotSize(slots: slots, capacity: capacity)
        let first = Array("balance: 1000".utf8), second = Array("balance: 0".utf8)
        write(region, first, slot: 0, "the first value")
        let old = memory.raw(0..<size)
        write(region, second, slot: 0, "the second value")
        let new = memory.raw(0..<size)
        memory.overwrite(old, at: 0)
        expectNoRollback(region, slot: 0, newest: second, attack: "slot 0 rolled back to the bytes of its first value, after this instance wrote the second")
        memory.overwrite(new, at: 0)
        expectRead(region, slot: 0, second, "slot 0 after its newest bytes were put back")
        // Another process that has read the newer value.
        let reader = makeRegion(slots: slots, capacity: capacity, memory: memory, sealer: sealer).region
        expectRead(reader, slot: 0, second, "a second instance reading slot 0")
        memory.overwrite(old, at: 0)
        expectNoRollback(reader, slot: 0, newest: second, attack: "slot 0 rolled back to its first value after another instance had read the second")
        // Splices: the first value with a prefix of the second value's bytes (its generation,
        // nonce or whatever else the layout keeps first), for every prefix length.
        for cut in 1..<size {
            var spliced = old
            spliced.replaceSubrange(0..<cut, with: new[0..<cut])
            memory.overwrite(spliced, at: 0)
            expectNoRollback(region, slot: 0, newest: second, attack: "slot 0's first value with its first \(cut) bytes taken from the second value")
        }
        memory.overwrite(new, at: 0)
        // Erased.
        let owner = Array("owner: alice".utf8)
        write(region, owner, slot: 1, "writing slot 1")
        memory.overwrite(Array(repeating: 0, count: size), at: size)
        expectNoRollback(region, slot: 1, newest: owner, attack: "slot 1 erased to zeros after this instance wrote it (rolled back to never written)")
        expectRead(region, slot: 0, second, "slot 0 after slot 1 was erased")
        // A rollback, then this instance writes again: its generation must be above what it saw,
        // not only above what is stored, or the attacker can swap the two same-generation values.
        let third = Array("balance: 500".utf8)
        memory.overwrite(old, at: 0)
        write(region, third, slot: 0, "writing after a rollback")
        let afterThird = memory.raw(0..<size)
        memory.overwrite(new, at: 0)
        expectNoRollback(region, slot: 0, newest: third, attack: "slot 0 rolled back, written again, then its previous newest bytes put back")
        memory.overwrite(afterThird, at: 0)
        expectRead(region, slot: 0, third, "slot 0 after its newest bytes were put back")
        // A process that never read the slot writes it: its generation is above the stored one.
        let late = makeRegion(slots: slots, capacity: capacity, memory: memory, sealer: sealer).region
        let beforeLate = memory.raw(0..<size)
        let fourth = Array("balance: 7".utf8)
        write(late, fourth, slot: 0, "a fresh instance writing")
        expectRead(region, slot: 0, fourth, "the first instance after a fresh one wrote slot 0")
        memory.overwrite(beforeLate, at: 0)
        expectNoRollback(region, slot: 0, newest: fourth, attack: "slot 0 put back to the value before a fresh instance wrote it")
    }

    /// Every byte of a sealed slot flipped in turn: each read refuses or returns the value.
    func flippedByte() {
        let slots = 2, capacity = 16
        let (region, memory, _) = makeRegion(slots: slots, capacity: capacity)
        let size = slotSize(slots: slots, capacity: capacity)
        let value = Array("transfer 10 EUR".utf8)
        write(region, value, slot: 1, "writing slot 1")
        write(region, Self.pattern(3, seed: 4), slot: 0, "writing slot 0")
        let sealed = memory.raw(size..<(2 * size))
        for offset in 0..<size {
            for mask: UInt8 in [0x01, 0x80] {
                var changed = sealed
                changed[offset] ^= mask
                memory.overwrite(changed, at: size)
                switch region.read(slot: 1) {
                case .success(let found) where found != value:
                    CheckFail("byte \(offset) of slot 1's \(size) bytes flipped (xor \(mask)): the read returned \(Self.show(found)) instead of refusing")
                default: break
                }
            }
        }
        memory.overwrite(sealed, at: size)
        expectRead(region, slot: 1, value, "slot 1 after every flip was undone")
        expectRead(region, slot: 0, Self.pattern(3, seed: 4), "slot 0, never touched")
    }

    /// Nonces watched on the wire into the sealer: many writes, two instances, a rollback and a
    /// process that never saw the newer value writing the slot again.
    func nonceNeverReused() {
        let slots = 3, capacity = 16
        let (region, memory, sealer) = makeRegion(slots: slots, capacity: capacity)
        let size = slotSize(slots: slots, capacity: capacity)
        for round in 0..<20 {
            for slot in 0..<slots { write(region, Self.pattern(round % capacity, seed: UInt64(round * 10 + slot)), slot: slot, "round \(round)") }
        }
        let second = makeRegion(slots: slots, capacity: capacity, memory: memory, sealer: sealer).region
        for round in 0..<10 {
            write(second, [UInt8(round)], slot: 0, "the second instance")
            write(region, [UInt8(round), 1], slot: 0, "the first instance")
        }
        let snapshot = memory.raw(0..<size)
        write(region, Array("new".utf8), slot: 0, "after the snapshot")
        memory.overwrite(snapshot, at: 0)
        let fresh = makeRegion(slots: slots, capacity: capacity, memory: memory, sealer: sealer).region
        write(fresh, Array("fresh".utf8), slot: 0, "a process that never saw the newer value, after a rollback")
        expectRead(fresh, slot: 0, Array("fresh".utf8), "reading back what the last write stored")
        let writes = 20 * slots + 2 * 10 + 2
        CheckAssert(sealer.nonces.count >= writes, "\(writes) writes called the sealer only \(sealer.nonces.count) times: every write must seal its value")
        CheckAssert(sealer.nonces.allSatisfy { $0.count == 12 }, "a nonce was not 12 bytes: lengths \(Set(sealer.nonces.map(\.count)).sorted())")
        var seen: [[UInt8]: Int] = [:]
        for (index, nonce) in sealer.nonces.enumerated() {
            if let earlier = seen[nonce] {
                CheckFail("nonce reused under one key: seal number \(index + 1) used the nonce of seal number \(earlier + 1) (the two ciphertexts XOR to the two plaintexts' XOR)")
            }
            seen[nonce] = index
        }
    }

    /// Two writers and a reader on one instance at once: every read is one whole written value.
    func concurrentSlotAccess() {
        let (region, _, _) = makeRegion(slots: 1, capacity: 8)
        let values = [Self.pattern(8, seed: 1), Self.pattern(8, seed: 2), Self.pattern(8, seed: 3)]
        write(region, values[0], slot: 0, "the first value")
        let writers = [1, 2].map { index in
            Runtime.spawn(name: "writer-\(index)") {
                if let refusal = region.write(values[index], toSlot: 0) {
                    CheckFail("writer-\(index): a write beside another writer and a reader was refused (\(refusal.rawValue))")
                }
            }
        }
        let reader = Runtime.spawn(name: "reader") {
            for _ in 0..<2 {
                switch region.read(slot: 0) {
                case .success(let found):
                    CheckAssert(found.map { values.contains($0) } ?? false, "a read beside two writers returned \(Self.show(found)), not one of the values written")
                case .failure(let refusal):
                    CheckFail("a read beside two writers on the same instance was refused (\(refusal.rawValue)): a torn slot; one instance must not interleave its own reads and writes")
                }
            }
        }
        for thread in writers + [reader] { thread.join() }
        switch region.read(slot: 0) {
        case .success(let found):
            CheckAssert(found == values[1] || found == values[2], "after both writers finished the slot read as \(Self.show(found))")
        case .failure(let refusal):
            CheckFail("after both writers finished, reading the slot was refused (\(refusal.rawValue))")
        }
    }

    /// Secrets left in buffers: released buffers are zero in the mapping at once, a reacquired
    /// buffer reads zeros, and a pool laid over dirty memory hands out clean buffers.
    func noResidualData() {
        let bufferSize = 24, count = 3
        let dirty = CheckMemory(count: count * bufferSize + (count + 1) * Self.canarySize, filledWith: 0xA5)
        let (pool, memory) = makePool(bufferSize: bufferSize, count: count, memory: dirty)
        let buffers = (0..<count).map { acquired(pool, "acquiring buffer \($0 + 1)") }
        for buffer in buffers {
            expectBuffer(pool, buffer, Array(repeating: 0, count: bufferSize), "a buffer of a pool laid over memory an earlier owner left 0xA5 in")
        }
        for buffer in 0..<count {
            let start = Self.bufferOffset(buffer, bufferSize: bufferSize)
            CheckAssert(memory.raw(start..<(start + bufferSize)).allSatisfy { $0 == 0 },
                        "buffer \(buffer) still holds an earlier owner's bytes in the mapping after the pool was laid out")
        }
        let secret = Self.pattern(bufferSize, seed: 77)
        CheckAssert(pool.write(secret, to: buffers[1], at: 0) == nil, "writing a whole buffer was refused")
        CheckAssert(pool.write(Array(secret.prefix(5)), to: buffers[2], at: 19) == nil, "writing the last 5 bytes of a buffer was refused")
        CheckAssert(pool.write([1, 2, 3], to: buffers[1], at: 0) == nil, "a short write at the start of a buffer was refused")
        CheckAssert(pool.release(buffers[1]) == nil, "releasing an acquired buffer was refused")
        CheckAssert(pool.release(buffers[2]) == nil, "releasing an acquired buffer was refused")
        for buffer in [buffers[1], buffers[2]] {
            let start = Self.bufferOffset(buffer, bufferSize: bufferSize)
            let left = memory.raw(start..<(start + bufferSize))
            CheckAssert(left.allSatisfy { $0 == 0 },
                        "residual data: buffer \(buffer) still holds its user's bytes in the mapping after it was released (any process mapping the pool reads them)")
        }
        CheckAssertEqual(memory.find(Array(secret[8..<16])), nil, "the secret's middle 8 bytes in the mapping after release")
        let again = acquired(pool, "acquiring after two releases")
        expectBuffer(pool, again, Array(repeating: 0, count: bufferSize), "a buffer acquired again after its user wrote a secret and released it")
        CheckAssertEqual(memory.find(Array(secret.prefix(8))), nil, "the secret's first 8 bytes in the mapping")
    }

    /// Writes that would cross a buffer's end are refused whole; bytes an attacker writes past a
    /// buffer's end (or before its start) land in a canary and are detected.
    func overflowDetected() {
        let bufferSize = 16, count = 3
        let (pool, memory) = makePool(bufferSize: bufferSize, count: count)
        let buffers = (0..<count).map { acquired(pool, "acquiring buffer \($0 + 1)") }
        let before = memory.bytes
        for (bytes, offset) in [(17, 0), (1, 16), (8, 9), (1, -1), (0, 17)] {
            if pool.write(Array(repeating: 0xEE, count: bytes), to: buffers[0], at: offset) == nil {
                CheckFail("a write of \(bytes) bytes at offset \(offset) of a \(bufferSize)-byte buffer was accepted")
            }
        }
        CheckAssert(memory.bytes == before, "a refused write changed the mapping: a write crossing a buffer's end must write nothing")
        CheckAssert(pool.write(Array(repeating: 1, count: 16), to: buffers[0], at: 0) == nil, "a write filling a buffer exactly was refused")
        CheckAssert(pool.verify() == nil, "verify found an overflow after writes inside the buffers")
        // The attacker runs off the end of buffer 0 into the canary before buffer 1.
        let end = Self.bufferOffset(0, bufferSize: bufferSize) + bufferSize
        let canary = memory.raw(end..<(end + Self.canarySize))
        memory.overwrite([0x41, 0x41, 0x41], at: end)
        if case .success = pool.read(buffers[1]) {
            CheckFail("an overflow from buffer 0 into the canary before buffer 1 went unnoticed by a read of buffer 1")
        }
        if case .success = pool.read(buffers[0]) {
            CheckFail("an overflow from buffer 0 into the canary after it went unnoticed by a read of buffer 0")
        }
        CheckAssert(pool.verify() != nil, "an overflow from buffer 0 into the next canary went unnoticed by verify")
        memory.overwrite(canary, at: end)
        CheckAssert(pool.verify() == nil, "verify still reports an overflow after the canary was restored")
        // One byte before the first buffer (an underflow), one byte after the last.
        let first = Self.bufferOffset(0, bufferSize: bufferSize) - 1
        let saved = memory.raw(first..<(first + 1))
        memory.overwrite([saved[0] ^ 0xFF], at: first)
        CheckAssert(pool.release(buffers[0]) != nil, "an underflow into the byte before buffer 0 went unnoticed by its release")
        let zeroStart = Self.bufferOffset(0, bufferSize: bufferSize)
        CheckAssert(memory.raw(zeroStart..<(zeroStart + bufferSize)).allSatisfy { $0 == 0 },
                    "residual data: a release that found an overwritten canary left the buffer's bytes in the mapping")
        CheckAssert(pool.verify() != nil, "an underflow into the byte before buffer 0 went unnoticed by verify")
        memory.overwrite(saved, at: first)
        let last = Self.bufferOffset(count - 1, bufferSize: bufferSize) + bufferSize + Self.canarySize - 1
        let kept = memory.raw(last..<(last + 1))
        memory.overwrite([kept[0] ^ 0x01], at: last)
        if case .success = pool.read(buffers[2]) {
            CheckFail("an overflow into the last byte of the final canary went unnoticed by a read of the last buffer")
        }
        CheckAssert(pool.verify() != nil, "an overflow into the final canary went unnoticed by verify")
        memory.overwrite(kept, at: last)
        expectBuffer(pool, buffers[2], Array(repeating: 0, count: bufferSize), "the last buffer with its canaries intact")
    }

    /// A released buffer is not usable, and not releasable again, until acquired.
    func useAfterRelease() {
        let (pool, memory) = makePool(bufferSize: 8, count: 2)
        let first = acquired(pool, "the first acquire")
        let second = acquired(pool, "the second acquire")
        CheckAssert(pool.write([1, 2, 3], to: first, at: 0) == nil, "writing an acquired buffer was refused")
        CheckAssert(pool.release(first) == nil, "releasing an acquired buffer was refused")
        let snapshot = memory.bytes
        CheckAssert(pool.write([9], to: first, at: 0) != nil, "use after release: a released buffer was written")
        CheckAssert(memory.bytes == snapshot, "use after release: a refused write to a released buffer changed the mapping")
        if case .success = pool.read(first) { CheckFail("use after release: a released buffer was read") }
        CheckAssert(pool.release(first) != nil, "double release: a buffer was released twice")
        CheckAssert(pool.release(7) != nil, "releasing buffer 7 of a pool of 2 was accepted")
        if case .success = pool.read(-1) { CheckFail("reading buffer -1 succeeded") }
        let again = acquired(pool, "acquiring after the double release was refused")
        CheckAssertEqual(again, first, "the only free buffer")
        CheckAssert(pool.acquire() == nil, "a double release put a buffer in the pool twice: a third acquire from a pool of two gave a buffer")
        expectBuffer(pool, second, Array(repeating: 0, count: 8), "a buffer never written")
    }

    /// Three threads acquire from a pool of two at once.
    func concurrentAcquire() {
        let (pool, _) = makePool(bufferSize: 8, count: 2)
        final class Got: @unchecked Sendable { var buffers: [Int?] = [nil, nil, nil] }
        let got = Got()
        let threads = (0..<3).map { index in Runtime.spawn(name: "taker-\(index)") { got.buffers[index] = pool.acquire() } }
        for thread in threads { thread.join() }
        let taken = got.buffers.compactMap { $0 }
        CheckAssertEqual(taken.count, 2, "three concurrent acquires from a pool of two gave \(got.buffers)")
        CheckAssertEqual(Set(taken).count, taken.count, "one buffer handed to two holders at once: \(got.buffers)")
    }

    static let once = ExplorationPlan(strategy: .random, seed: 1, schedules: 1)

    override class var checks: [CheckDefinition] {
        [
            check(
                "no-plaintext-in-memory", "random values and text written, rewritten and read: no 8 plaintext bytes anywhere in the mapping",
                explanation: "whoever maps the region without the key learns nothing but sizes.",
                points: 10, property: .confidentiality, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.noPlaintextInMemory),
            check(
                "swapped-slots", "two sealed slots swapped, a slot of another region copied in",
                explanation: "the associated data binds each slot's index: a sealed slot moved elsewhere does not open.",
                points: 8, property: .tamperDetection, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.swappedSlots),
            check(
                "rolled-back-slot", "old sealed bytes put back, with and without the newer header, seen by two instances; a slot erased",
                explanation: "the generation is bound by the associated data and remembered: an older value is refused by anyone who saw a newer one.",
                points: 8, property: .tamperDetection, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.rolledBackSlot),
            check(
                "flipped-byte", "each bit 0 and bit 7 of every byte of a sealed slot flipped in turn",
                explanation: "every byte of a slot is authenticated: a changed slot is refused, never returned changed.",
                points: 10, property: .tamperDetection, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.flippedByte),
            check(
                "nonce-never-reused", "every nonce the sealer is given, over many writes, two instances, a rollback and a fresh writer",
                explanation: "a nonce repeated under one key gives away the XOR of two plaintexts; it must never repeat.",
                points: 8, property: .nonceUniqueness, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.nonceNeverReused),
            check(
                "concurrent-slot-access", "two writers and a reader on one slot of one instance, under PCT",
                explanation: "one instance's reads and writes of a slot are atomic with respect to each other.",
                points: 8, property: .mutualExclusion, .hidden,
                .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 300), seed: 11, schedules: 300)),
                HiddenSharedMemoryThreatsChecks.concurrentSlotAccess),
            check(
                "no-residual-data", "a pool over dirty memory, buffers released after secrets were written",
                explanation: "buffers are zeroed when laid out and when released, so nobody sees an earlier user's bytes.",
                points: 10, property: .noResidualData, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.noResidualData),
            check(
                "overflow-detected", "writes crossing a buffer's end; bytes written into the canaries around buffers",
                explanation: "a write that would cross a buffer's bounds writes nothing; one that got past lands in a canary and is detected.",
                points: 10, property: .overflowDetection, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.overflowDetected),
            check(
                "use-after-release", "a released buffer written, read and released again",
                explanation: "a released buffer belongs to the pool until acquired again.",
                points: 4, property: .useAfterRelease, .hidden, .controlled(once), HiddenSharedMemoryThreatsChecks.useAfterRelease),
            check(
                "concurrent-acquire", "three threads acquire from a pool of two, under PCT",
                explanation: "each buffer goes to one holder at a time, whatever the interleaving.",
                points: 4, property: .mutualExclusion, .hidden,
                .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 200), seed: 13, schedules: 200)),
                HiddenSharedMemoryThreatsChecks.concurrentAcquire),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenSharedMemoryThreatsChecks.checks }
}
