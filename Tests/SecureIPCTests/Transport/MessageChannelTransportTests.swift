import Foundation
import ProcessIPC
import Testing

@testable import SecureIPC

/// A ``SecureChannel`` over every ProcessIPC mechanism, both ends in this process.
struct MessageChannelTransportTests {
    /// Payload sizes around the queue message (8 KiB) and seqpacket packet (64 KiB) sizes, up to
    /// the largest record.
    static let sizes = [0, 1, 100, 8191, 8192, 20_000, SecureChannel.maximumPayloadSize]

    @Test(arguments: ChannelKind.allCases)
    func secureChannelRunsBothWaysAndFinishesCleanly(kind: ChannelKind) throws {
        var channels: [SecureChannel] = []
        // Checked while the channels are still alive: ending both directions releases the
        // descriptors, queues and mappings without waiting for the transports to be freed.
        let leftovers = try ResourceLedger.withTracking {
            let pair = try kind.makePair()
            let a = MessageChannelTransport(pair.local, timeout: .seconds(10))
            let b = MessageChannelTransport(try pair.openPeerEndHere(), timeout: .seconds(10))
            let (alice, bob) = try TransportFixtures.establish(a, b)
            channels = [alice, bob]
            #expect(alice.handshakeHash == bob.handshakeHash)
            let toBob = Self.sizes.map { TransportFixtures.payload($0, seed: 1) }
            let toAlice = Self.sizes.reversed().map { TransportFixtures.payload($0, seed: 2) }
            // Alice finishes (closing her sending side) before Bob answers: half-close must
            // leave Bob's direction working.
            #expect(try TransportFixtures.deliver(toBob, from: alice, to: bob) == toBob)
            #expect(try TransportFixtures.deliver(toAlice, from: bob, to: alice) == toAlice)
            // Reading past the end-of-stream record takes the peer's end marker.
            #expect(try alice.receive() == nil && bob.receive() == nil, "end of stream stays the end")
        }
        #expect(leftovers.isEmpty, "leaked: \(leftovers)")
        withExtendedLifetime(channels) {}
    }

    @Test func closeEndsThePeersReceiveAfterWhatWasSent() throws {
        let pair = try ChannelKind.pipe.makePair()
        let a = MessageChannelTransport(pair.local, timeout: .seconds(5))
        let b = MessageChannelTransport(try pair.openPeerEndHere(), timeout: .seconds(5))
        try a.send([1, 2, 3])
        try a.send([])
        a.close()
        a.close()
        #expect(throws: TransportError.closed) { try a.send([4]) }
        #expect(try b.receive() == [1, 2, 3])
        #expect(try b.receive() == [])
        #expect(try b.receive() == nil)
        #expect(try b.receive() == nil)
        // The other direction is still open until b closes it too.
        try b.send([9])
        #expect(try a.receive() == [9])
        b.close()
        #expect(try a.receive() == nil)
    }

    @Test func errorsMapToTransportErrors() throws {
        let pair = try ChannelKind.unixSeqpacket.makePair(maximumMessageSize: 1000)
        let a = MessageChannelTransport(pair.local, timeout: .milliseconds(50))
        let peerEnd = try pair.openPeerEndHere()
        #expect(a.maximumMessageSize == 999)
        #expect(throws: TransportError.messageTooLarge(size: 1000, limit: 999)) { try a.send([UInt8](repeating: 0, count: 1000)) }
        #expect(throws: TransportError.timedOut) { try a.receive() }
        // A peer that is not a MessageChannelTransport: no valid marker byte.
        try peerEnd.send([7, 7], timeout: .seconds(1))
        do {
            _ = try a.receive()
            Issue.record("a message without a marker was accepted")
        } catch TransportError.channel(let error) {
            #expect(error.code == .protocolViolation)
        }
        // The peer closing its whole channel ends the stream; sending then fails as closed.
        peerEnd.close()
        #expect(try a.receive() == nil)
        #expect(throws: TransportError.closed) { try a.send([1]) }
    }

    @Test func aTruncatedStreamIsReportedAsTruncationNotAsTheEnd() throws {
        let pair = try ChannelKind.messageQueue.makePair()
        let a = MessageChannelTransport(pair.local, timeout: .seconds(10))
        let peerEnd = try pair.openPeerEndHere()
        let (alice, bob) = try TransportFixtures.establish(a, MessageChannelTransport(peerEnd, timeout: .seconds(10)))
        try bob.send([1])
        #expect(try alice.receive() == [1])
        // Bob's side goes away without an end-of-stream record.
        peerEnd.close()
        #expect(throws: SecureChannelError.truncated) { try alice.receive() }
    }
}

/// Helpers for running two ``SecureChannel``s against each other.
enum TransportFixtures {
    /// Bytes of a recognisable pattern.
    static func payload(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) &+ seed }
    }

    /// Runs the handshake with pinned keys: initiator over `a`, responder over `b`.
    static func establish(_ a: any MessageTransport, _ b: any MessageTransport) throws -> (SecureChannel, SecureChannel) {
        let (keyA, keyB) = (Fixtures.key(), Fixtures.key())
        let outcome = Fixtures.establish(
            initiator: SecureChannelConfiguration(staticKey: keyA, peerTrust: .pinned(keyB.publicKey)),
            responder: SecureChannelConfiguration(staticKey: keyB, peerTrust: .pinned(keyA.publicKey)),
            initiatorTransport: a, responderTransport: b)
        return (try outcome.initiator.get(), try outcome.responder.get())
    }

    /// Sends `payloads` and then finishes on a second thread while this one receives until the
    /// end-of-stream record; returns what arrived. Rethrows the sender's error, if any.
    static func deliver(_ payloads: [[UInt8]], from sender: SecureChannel, to receiver: SecureChannel) throws -> [[UInt8]] {
        let failure = ErrorBox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do {
                for payload in payloads { try sender.send(payload) }
                try sender.finish()
            } catch {
                failure.set(error)
            }
            done.signal()
        }.start()
        var received: [[UInt8]] = []
        let receiving = Result { while let payload = try receiver.receive() { received.append(payload) } }
        done.wait()
        if let error = failure.get() { throw error }
        try receiving.get()
        return received
    }
}

/// A lock-guarded slot for an error from another thread.
// Safe to share: the single field is only touched under `lock`.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.withLock { self.error = error } }
    func get() -> (any Error)? { lock.withLock { error } }
}
