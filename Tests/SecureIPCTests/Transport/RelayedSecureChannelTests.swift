import Foundation
import ProcessIPC
import Testing

@testable import SecureIPC

#if canImport(Glibc)
    import Glibc
#endif

/// A ``SecureChannel`` whose every byte crosses a separate process: Alice and Bob run here, and
/// the `relay` peer role forwards between Alice's channel and Bob's (possibly of different
/// kinds). The relay is the untrusted middle: it forwards, tampers, or dies.
@Suite(.serialized)
struct RelayedSecureChannelTests {
    /// The relay process and Alice's and Bob's transports to it.
    struct Link {
        let relay: PeerProcess
        let alice: MessageChannelTransport
        let bob: MessageChannelTransport
    }

    static func startRelay(_ aliceKind: ChannelKind, _ bobKind: ChannelKind, flip: Int? = nil) throws -> Link {
        let alicePair = try aliceKind.makePair()
        let bobPair = try bobKind.makePair()
        let arguments = [
            "relay", alicePair.peerArgument(firstDescriptor: 3),
            bobPair.peerArgument(firstDescriptor: 3 + Int32(alicePair.peerDescriptors.count)),
        ] + (flip.map { [String($0)] } ?? [])
        let relay = try PeerProcess.spawn(
            try PeerExecutable.locate(), arguments: arguments, passing: alicePair.peerDescriptors + bobPair.peerDescriptors)
        alicePair.closePeerDescriptors()
        bobPair.closePeerDescriptors()
        alicePair.local.peerLiveness = relay.liveness
        bobPair.local.peerLiveness = relay.liveness
        return Link(
            relay: relay, alice: MessageChannelTransport(alicePair.local, timeout: .seconds(10)),
            bob: MessageChannelTransport(bobPair.local, timeout: .seconds(10)))
    }

    @Test(arguments: zip([ChannelKind.pipe, .sharedRing, .unixSeqpacket], [ChannelKind.messageQueue, .unixStream, .pipe]))
    func handshakeAndRecordsCrossAnotherProcess(aliceKind: ChannelKind, bobKind: ChannelKind) throws {
        let leftovers = try ResourceLedger.withTracking {
            let link = try Self.startRelay(aliceKind, bobKind)
            let (alice, bob) = try TransportFixtures.establish(link.alice, link.bob)
            #expect(alice.handshakeHash == bob.handshakeHash)
            let toBob = MessageChannelTransportTests.sizes.map { TransportFixtures.payload($0, seed: 3) }
            #expect(try TransportFixtures.deliver(toBob, from: alice, to: bob) == toBob)
            #expect(try TransportFixtures.deliver([[42]], from: bob, to: alice) == [[42]])
            // Reading past each end-of-stream record takes the peer's end marker: each transport
            // has then ended both directions and closes its channel while still alive, so the
            // relay sees both ends close and exits on its own.
            #expect(try alice.receive() == nil && bob.receive() == nil)
            let status = try link.relay.wait(timeout: .seconds(10))
            withExtendedLifetime((alice, bob)) {}
            #expect(status == .exited(0))
        }
        #expect(leftovers.isEmpty, "leaked: \(leftovers)")
    }

    @Test func aTamperingRelayIsCaught() throws {
        let relay: PeerProcess
        do {
            // Messages from Alice: 0 and 1 are handshake messages 1 and 3, 2 is her first record.
            let link = try Self.startRelay(.pipe, .unixStream, flip: 2)
            relay = link.relay
            let (alice, bob) = try TransportFixtures.establish(link.alice, link.bob)
            try alice.send(Array("grade: A".utf8))
            #expect(throws: SecureChannelError.authenticationFailed) { try bob.receive() }
        }
        #expect(try relay.wait(timeout: .seconds(10)) == .exited(0))
    }

    @Test(arguments: [ChannelKind.pipe, .messageQueue])
    func aRelayKilledMidStreamIsNeverACleanEnd(bobKind: ChannelKind) throws {
        let link = try Self.startRelay(.unixStream, bobKind)
        let (alice, bob) = try TransportFixtures.establish(link.alice, link.bob)
        try alice.send([1])
        #expect(try bob.receive() == [1])
        link.relay.send(signal: SIGKILL)
        #expect(link.relay.terminate() == .signaled(SIGKILL))
        // A pipe shows the death as end of file: no end-of-stream record, so truncation. A
        // queue has no end of file: the liveness check reports the vanished peer.
        do {
            _ = try bob.receive()
            Issue.record("a dead relay looked like a live channel")
        } catch SecureChannelError.truncated {
            #expect(bobKind == .pipe)
        } catch SecureChannelError.transport(let description) {
            #expect(bobKind == .messageQueue && description.contains("died"), "\(description)")
        }
    }
}
