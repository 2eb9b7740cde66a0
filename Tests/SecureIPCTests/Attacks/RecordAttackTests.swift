import Foundation
import Testing

@testable import SecureIPC

/// An active attacker against established channels: Mallory sits between Alice and Bob and
/// rewrites, replays, reorders, drops, truncates, appends or reflects records.
@Suite(.serialized)
struct RecordAttackTests {
    @Test func honestDeliveryWorks() throws {
        let wire = try Interception()
        try wire.alice.send(Array("hello".utf8))
        try wire.toBob(wire.fromAlice())
        #expect(try wire.bob.receive() == Array("hello".utf8))
        try wire.bob.send([])
        try wire.toAlice(wire.fromBob())
        #expect(try wire.alice.receive() == [])
        #expect(wire.alice.handshakeHash == wire.bob.handshakeHash)
    }

    /// Every byte of a record (1 type byte + 4 payload bytes + 16 tag bytes) flipped in turn,
    /// each on a fresh channel; then the channel stays broken.
    @Test func flippingAnyByteOfARecordIsRejectedAndSticky() throws {
        for position in 0..<21 {
            let wire = try Interception()
            try wire.alice.send([1, 2, 3, 4])
            var record = try wire.fromAlice()
            #expect(record.count == 21)
            record[position] ^= 0x01
            try wire.toBob(record)
            expectRejected(.authenticationFailed) { _ = try wire.bob.receive() }
            // Sticky: a genuine record afterwards is refused too, and so is sending.
            try wire.alice.send([5])
            try wire.toBob(wire.fromAlice())
            expectRejected(.channelBroken(cause: .authenticationFailed)) { _ = try wire.bob.receive() }
            expectRejected(.channelBroken(cause: .authenticationFailed)) { try wire.bob.send([6]) }
        }
    }

    @Test func replayIsRejected() throws {
        let wire = try Interception()
        try wire.alice.send([1])
        let record = try wire.fromAlice()
        try wire.toBob(record)
        try wire.toBob(record)
        #expect(try wire.bob.receive() == [1])
        expectRejected(.authenticationFailed) { _ = try wire.bob.receive() }
    }

    @Test func reorderIsRejected() throws {
        let wire = try Interception()
        try wire.alice.send([1])
        try wire.alice.send([2])
        let (first, second) = (try wire.fromAlice(), try wire.fromAlice())
        try wire.toBob(second)
        try wire.toBob(first)
        expectRejected(.authenticationFailed) { _ = try wire.bob.receive() }
    }

    @Test func dropIsDetectedAtTheNextRecord() throws {
        let wire = try Interception()
        try wire.alice.send([1])
        try wire.alice.send([2])
        _ = try wire.fromAlice()
        try wire.toBob(wire.fromAlice())
        expectRejected(.authenticationFailed) { _ = try wire.bob.receive() }
    }

    @Test func truncatedStreamIsDetected() throws {
        let wire = try Interception()
        try wire.alice.send([1])
        try wire.alice.send([2])
        try wire.alice.finish()
        try wire.toBob(wire.fromAlice())
        wire.nearBob.close()  // Mallory cuts the stream before record 2 and the end-of-stream
        #expect(try wire.bob.receive() == [1])
        expectRejected(.truncated) { _ = try wire.bob.receive() }
    }

    @Test func truncatedOrEmptyRecordIsRejected() throws {
        for cut in [1, 16, 21] {
            let wire = try Interception()
            try wire.alice.send([1, 2, 3, 4])
            try wire.toBob(Array(try wire.fromAlice().dropLast(cut)))
            expectRejected(.authenticationFailed) { _ = try wire.bob.receive() }
        }
    }

    @Test func dataAppendedAfterEndOfStreamIsRejected() throws {
        let wire = try Interception()
        try wire.alice.send([1])
        try wire.alice.finish()
        let (data, end) = (try wire.fromAlice(), try wire.fromAlice())
        try wire.toBob(data)
        try wire.toBob(end)
        try wire.toBob(data)  // appended after the end
        #expect(try wire.bob.receive() == [1])
        #expect(try wire.bob.receive() == nil)
        expectRejected(.dataAfterEndOfStream) { _ = try wire.bob.receive() }
        expectRejected(.channelBroken(cause: .dataAfterEndOfStream)) { _ = try wire.bob.receive() }
    }

    @Test func cleanEndOfStreamStaysEnded() throws {
        let wire = try Interception()
        try wire.alice.finish()
        try wire.toBob(wire.fromAlice())
        wire.nearBob.close()
        #expect(try wire.bob.receive() == nil)
        #expect(try wire.bob.receive() == nil)
        expectRejected(.sendAfterFinish) { try wire.alice.send([1]) }
    }

    @Test func reflectedRecordIsRejected() throws {
        let wire = try Interception()
        try wire.alice.send([1, 2, 3])
        try wire.toAlice(wire.fromAlice())  // Alice's own record sent back to her
        expectRejected(.authenticationFailed) { _ = try wire.alice.receive() }
    }

    @Test func unknownRecordTypeIsRejected() throws {
        let wire = try Interception()
        try wire.alice.sendRawPlaintext([7, 1])
        try wire.toBob(wire.fromAlice())
        expectRejected(.malformedRecord) { _ = try wire.bob.receive() }
        let second = try Interception()
        try second.alice.sendRawPlaintext([])
        try second.toBob(second.fromAlice())
        expectRejected(.malformedRecord) { _ = try second.bob.receive() }
    }

    @Test func oversizedMessagesAreRejected() throws {
        let wire = try Interception(bobMaximumPayload: 100)
        expectRejected(.messageTooLarge(size: SecureChannel.maximumPayloadSize + 1, limit: SecureChannel.maximumPayloadSize)) {
            try wire.alice.send([UInt8](repeating: 0, count: SecureChannel.maximumPayloadSize + 1))
        }
        try wire.alice.send([UInt8](repeating: 0, count: 101))  // within Alice's limit, not Bob's
        try wire.toBob(wire.fromAlice())
        expectRejected(.messageTooLarge(size: 101 + 17, limit: 100 + 17)) { _ = try wire.bob.receive() }
    }

    /// The counter refuses to wrap: the last usable nonce is 2⁶⁴−2.
    @Test func nonceCounterRefusesToWrap() throws {
        let wire = try Interception()
        wire.alice.setCounters(sending: .max - 1)
        wire.bob.setCounters(receiving: .max - 1)
        try wire.alice.send([1])
        try wire.toBob(wire.fromAlice())
        #expect(try wire.bob.receive() == [1])
        expectRejected(.nonceExhausted) { try wire.alice.send([2]) }
        expectRejected(.channelBroken(cause: .nonceExhausted)) { try wire.alice.send([3]) }
    }

    /// After a rekey, a record sealed under the old key at the same counter no longer opens.
    @Test func rekeyReplacesTheKey() throws {
        var initiator = NoiseHandshake(role: .initiator, staticKey: Fixtures.key())
        var responder = NoiseHandshake(role: .responder, staticKey: Fixtures.key())
        _ = try responder.readMessage(initiator.writeMessage())
        _ = try initiator.readMessage(responder.writeMessage())
        _ = try responder.readMessage(initiator.writeMessage())
        let sender = try initiator.split()
        let receiver = try responder.split()
        var oldSender = sender
        var newSender = sender
        newSender.rekeySending()
        let oldRecord = try oldSender.seal([1])
        let newRecord = try newSender.seal([1])
        #expect(oldRecord != newRecord)
        var stale = receiver
        expectRejected(.authenticationFailed) { _ = try stale.open(newRecord) }
        var rekeyed = receiver
        rekeyed.rekeyReceiving()
        expectRejected(.authenticationFailed) { _ = try rekeyed.open(oldRecord) }
        var fresh = receiver
        fresh.rekeyReceiving()
        #expect(try fresh.open(newRecord) == [1])
    }

    @Test func automaticAndManualRekeyKeepTheStreamFlowing() throws {
        let (alice, bob) = try Fixtures.channelPair(rekeyInterval: 3)
        for index in 0..<10 {
            if index == 5 { try bob.rekey() }
            try alice.send([UInt8(index)])
            #expect(try bob.receive() == [UInt8(index)])
            try bob.send([UInt8(index), 0])
            #expect(try alice.receive() == [UInt8(index), 0])
        }
        try alice.finish()
        #expect(try bob.receive() == nil)
    }
}
