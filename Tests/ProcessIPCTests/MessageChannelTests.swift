import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct MessageChannelTests {
        @Test(arguments: ChannelKind.allCases)
        func echoesMessagesOfEverySizeWhole(kind: ChannelKind) throws {
            try expectNoLeaks {
                let session = try PeerSession(kind: kind, role: "echo", maximumMessageSize: 300_000, executable: try peer())
                // Sizes straddle the queue message (8 KiB) and seqpacket packet (64 KiB) sizes.
                for size in [0, 1, 64, 4096, 8184, 8193, 65_536, 200_001] {
                    let message = pattern(size, seed: size)
                    try session.channel.send(message, timeout: .seconds(10))
                    #expect(try session.channel.receive(timeout: .seconds(10)) == message, "\(kind) \(size) bytes")
                }
                #expect(session.finish() == .exited(0), "echo ends cleanly when the channel closes")
            }
        }

        @Test(arguments: ChannelKind.allCases)
        func refusesMessagesAboveTheMaximum(kind: ChannelKind) throws {
            try expectNoLeaks {
                let pair = try kind.makePair(maximumMessageSize: 1000)
                let limit = pair.local.maximumMessageSize
                #expect(limit >= 1000)
                #expect(errorCode { try pair.local.send(pattern(limit + 1), timeout: .seconds(1)) } == .messageTooLarge)
                pair.local.close()
                pair.closePeerDescriptors()
            }
        }

        @Test(arguments: ChannelKind.allCases)
        func receiverRejectsAnnouncedSizesAboveItsMaximum(kind: ChannelKind) throws {
            guard kind != .sharedRing else { return }  // the ring's limit is its capacity, shared by both ends
            try expectNoLeaks {
                let pair = try kind.makePair(maximumMessageSize: 100_000)
                let peerEnd = try pair.openPeerEndHere(maximumMessageSize: 10)
                try pair.local.send(pattern(5000), timeout: .seconds(1))
                #expect(errorCode { _ = try peerEnd.receive(timeout: .seconds(1)) } == .messageTooLarge)
                peerEnd.close()
                pair.local.close()
            }
        }

        @Test(arguments: ChannelKind.allCases)
        func aPeerThatDiesIsReportedWithinBoundedTime(kind: ChannelKind) throws {
            try expectNoLeaks {
                let session = try PeerSession(kind: kind, role: "echo-then-die", arguments: ["2"], executable: try peer())
                for _ in 0..<2 {
                    try session.channel.send([1, 2, 3], timeout: .seconds(10))
                    #expect(try session.channel.receive(timeout: .seconds(10)) == [1, 2, 3])
                }
                // No timeout: EOF (pipes, sockets) or the liveness check (queue, ring) must end it.
                let code = errorCode {
                    try session.channel.send([4], timeout: nil)
                    _ = try session.channel.receive(timeout: nil)
                }
                #expect(code == .peerClosed || code == .peerVanished, "\(kind): \(String(describing: code))")
                #expect(session.finish() == .signaled(SIGKILL))
            }
        }

        @Test(arguments: ChannelKind.allCases)
        func anOrderlyCloseIsReportedAsClosed(kind: ChannelKind) throws {
            try expectNoLeaks {
                let pair = try kind.makePair()
                let peerEnd = try pair.openPeerEndHere()
                peerEnd.peerLiveness = .assumed
                try peerEnd.send([9], timeout: .seconds(1))
                peerEnd.close()
                #expect(try pair.local.receive(timeout: .seconds(1)) == [9])
                #expect(errorCode { _ = try pair.local.receive(timeout: .seconds(5)) } == .peerClosed)
                pair.local.close()
            }
        }
    }
}

