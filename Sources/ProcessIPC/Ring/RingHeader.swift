/// The layout of a ring's control block at the start of its slice of a shared region.
///
/// Each side's fields sit on their own 64-byte cache line so the producer and consumer do not
/// false-share. Records follow at ``dataOffset``: an 8-byte header (`UInt32` length, `UInt32`
/// kind) and the payload, padded to 8 bytes; a `wrap` record skips the rest of the buffer.
struct RingHeader {
    static let magic: UInt32 = 0x5453_5242  // "TSRB"
    static let version: UInt32 = 1
    static let dataOffset = 512
    static let recordHeaderSize = 8
    static let kindMessage: UInt32 = 1
    static let kindWrap: UInt32 = 2

    let base: UnsafeMutableRawPointer

    // Line 0: identity, written once by the creator.
    var magicWord: SharedUInt32 { SharedUInt32(base) }
    var versionWord: SharedUInt32 { SharedUInt32(base + 4) }
    var capacityWord: SharedUInt64 { SharedUInt64(base + 8) }
    // Line 1: the producer's side.
    var tail: SharedUInt64 { SharedUInt64(base + 64) }
    var producerPID: SharedUInt32 { SharedUInt32(base + 72) }
    var producerClosed: SharedUInt32 { SharedUInt32(base + 76) }
    // Line 2: the consumer's side.
    var head: SharedUInt64 { SharedUInt64(base + 128) }
    var consumerPID: SharedUInt32 { SharedUInt32(base + 136) }
    var consumerClosed: SharedUInt32 { SharedUInt32(base + 140) }
    // Line 3: the consumer sleeps here when the ring is empty.
    var dataSignal: SharedUInt32 { SharedUInt32(base + 192) }
    var consumerSleeping: SharedUInt32 { SharedUInt32(base + 196) }
    // Line 4: the producer sleeps here when the ring is full.
    var spaceSignal: SharedUInt32 { SharedUInt32(base + 256) }
    var producerSleeping: SharedUInt32 { SharedUInt32(base + 260) }

    var data: UnsafeMutableRawPointer { base + RingHeader.dataOffset }

    /// Writes a fresh header for an empty ring of `capacity` data bytes.
    func format(capacity: Int) {
        base.initializeMemory(as: UInt8.self, repeating: 0, count: RingHeader.dataOffset)
        for word in [producerPID, producerClosed, consumerPID, consumerClosed, dataSignal,
                     consumerSleeping, spaceSignal, producerSleeping, versionWord] {
            word.initialize(0)
        }
        tail.initialize(0)
        head.initialize(0)
        capacityWord.initialize(UInt64(capacity))
        versionWord.storeReleasing(RingHeader.version)
        magicWord.initialize(0)
        magicWord.storeSequential(RingHeader.magic)  // last: a peer that sees the magic sees the rest
    }

    /// The record size for a payload of `length` bytes (header plus payload, rounded up to 8).
    static func recordSize(_ length: Int) -> Int { (recordHeaderSize + length + 7) & ~7 }
}
