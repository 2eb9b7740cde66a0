import CheckKit
import Glibc
import PeerKit

/// The grader's hidden checks: the peer as a demanding and hostile client. Every failure
/// message says what the program did wrong as seen from the connection, never this code.
enum HiddenChecks {
    static var all: [CheckDefinition] {
        [
            .peer(
                "pipelined-random-sizes", "300 pipelined requests of 0 to 65,536 bytes", points: 8, property: .integrity, .hidden
            ) {
                let server = try ServerUnderTest()
                let client = try server.connect()
                var random = PeerRandom(seed: 2)
                var requests = [[], random.bytes(65_536), random.bytes(1), random.bytes(65_535)]
                while requests.count < 300 { requests.append(random.bytes(random.upTo(65_536))) }
                try client.exchange(requests)
                // A client that sends its requests and closes its sending side still gets every
                // answer, even when they do not fit in the connection at once.
                let halfClosed = try server.connect()
                try halfClosed.exchangeThenClose((0..<5).map { _ in random.bytes(50_000) })
            },
            .peer(
                "partial-frames", "requests that arrive a few bytes at a time", points: 8, property: .partialIO, .hidden
            ) {
                let server = try ServerUnderTest()
                let client = try server.connect()
                var random = PeerRandom(seed: 3)
                for split in 1...3 {
                    let request = random.bytes(2_000 + split)
                    let frame = Client.frame(request)
                    // The header in two pieces cut after `split` bytes, then the payload in pieces;
                    // each piece is sent only once the program has read the one before, so its
                    // reads return exactly these pieces, whatever the load.
                    let cuts = [split, 4] + Array(stride(from: 4 + 700, to: frame.count, by: 700)) + [frame.count]
                    var start = 0
                    for cut in cuts {
                        try client.sendAll(Array(frame[start..<cut]), what: "bytes \(start)..<\(cut) of a \(frame.count)-byte frame")
                        if cut < frame.count {
                            try client.awaitConsumed("bytes \(start)..<\(cut) of a \(frame.count)-byte frame sent in pieces (the length field cut after \(split) bytes)")
                        }
                        start = cut
                    }
                    try client.awaitResponse(to: request, what: "a \(request.count)-byte request whose length field arrived in two pieces (\(split) + \(4 - split) bytes)")
                }
            },
            .peer(
                "slow-reader", "a client that reads its responses slowly", points: 8, property: .partialIO, .hidden
            ) {
                let server = try ServerUnderTest()
                let client = try server.connect()
                var random = PeerRandom(seed: 4)
                // Eight answers of 64 KiB are more than twice what a connection holds (about 200 KB):
                // the client sends without reading until the program is blocked with answers still
                // queued, then reads 8 KiB at a time in lockstep with the program (waiting until it
                // is asleep after each read), so the same events reach it on every run, however
                // loaded the machine; when room frees up the queued answers are more than fits.
                let requests = (0..<8).map { _ in random.bytes(65_536) }
                try client.exchange(requests, readChunk: 8_192, stallFirst: true)
            },
            .peer(
                "stalled-client", "a client that pauses mid-request does not hold up the others", points: 8, property: .progress, .hidden
            ) {
                let server = try ServerUnderTest()
                let stalled = try server.connect()
                let request = Array("finished later".utf8)
                let frame = Client.frame(request)
                try stalled.sendAll(Array(frame[0..<2]), what: "the first 2 bytes of a request")
                try stalled.awaitConsumed("the first 2 bytes of client A's request")
                let other = try server.connect()
                var random = PeerRandom(seed: 5)
                do {
                    for _ in 0..<20 { try other.exchange([random.bytes(random.upTo(500))]) }
                } catch let failure as CheckFailure {
                    throw CheckFailure(failure.message + " — while client A had sent 2 bytes of a request and paused: one client must not hold up the others")
                }
                try stalled.sendAll(Array(frame[2...]), what: "the rest of client A's request")
                try stalled.awaitResponse(to: request, what: "client A's request once its last bytes arrived")
                // Eight clients taking turns, one request each per round.
                let clients = try (0..<8).map { _ in try server.connect() }
                for _ in 0..<10 {
                    for client in clients { try client.exchange([random.bytes(random.upTo(3_000))]) }
                }
            },
            .peer(
                "oversize-frame", "a frame announcing more than 65,536 bytes is refused", points: 8, property: .malformedInput, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 6)
                for announced: UInt32 in [65_537, 1 << 20, .max] {
                    let client = try server.connect()
                    try client.sendAll(Client.header(announced) + random.bytes(1_000), what: "a frame announcing \(announced) bytes")
                    try client.awaitClosed("closing the connection of a client whose frame announced \(announced) bytes (more than the 65,536 allowed)")
                }
                let healthy = try server.connect()
                do {
                    try healthy.exchange([random.bytes(100), random.bytes(65_536)])
                } catch let failure as CheckFailure {
                    throw CheckFailure(failure.message + " — after refusing clients that announced oversize frames, the server must go on serving the others")
                }
            },
            .peer(
                "vanishing-clients", "clients that die mid-request or before reading their response", points: 8, property: .peerDeath, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 7)
                for round in 0..<10 {
                    let halfFrame = try server.connect()
                    let frame = Client.frame(random.bytes(10_000))
                    try halfFrame.sendAll(Array(frame[0..<5_000]), what: "half a request")
                    halfFrame.closeNow()
                    let halfHeader = try server.connect()
                    try halfHeader.sendAll([0, 0], what: "half a length field")
                    halfHeader.closeNow()
                    let noReader = try server.connect()
                    try noReader.sendAll(Client.frame(random.bytes(60_000)) + Client.frame(random.bytes(60_000)), what: "two requests")
                    noReader.closeNow()
                    let healthy = try server.connect()
                    do {
                        try healthy.exchange([random.bytes(random.upTo(1_000))])
                    } catch let failure as CheckFailure {
                        throw CheckFailure(failure.message + " — after \(round * 3 + 3) clients had vanished mid-request or before reading their response")
                    }
                }
            },
            .peer(
                "no-descriptor-leak", "every connection is closed once its client leaves", points: 8, property: .resourceLeaks, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 8)
                let first = try server.connect()
                try first.exchange([random.bytes(10)])
                first.closeNow()
                try server.settle("going back to waiting after its first client left")
                let baseline = server.counterpart.openDescriptors()
                for index in 0..<40 {
                    let client = try server.connect()
                    try client.exchange([random.bytes(random.upTo(200))])
                    if index % 4 == 3 { try client.sendAll([0, 0, 1], what: "part of a request") }
                    client.closeNow()
                }
                try server.settle("going back to waiting after 40 clients came and left")
                let after = server.counterpart.openDescriptors()
                if after > baseline + 2 {
                    throw CheckFailure("your program held \(after - baseline) more open descriptors after 40 clients had come and gone than before: close each connection once its client leaves")
                }
            },
            .peer(
                "clean-shutdown", "shutdown closes every connection and ends the program", points: 8, property: .cleanShutdown, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 9)
                let idle = try server.connect()
                try idle.exchange([random.bytes(50)])
                let midRequest = try server.connect()
                try midRequest.sendAll(Array(Client.frame(random.bytes(100))[0..<30]), what: "part of a request")
                let fresh = try server.connect()
                try server.settle("waiting for its clients")
                server.requestShutdown()
                for (label, client) in [("an idle client", idle), ("a client in the middle of a request", midRequest), ("a client that had sent nothing", fresh)] {
                    try client.awaitClosed("closing the connection of \(label) after the shutdown descriptor became readable")
                }
                try awaitProgram("ending after the shutdown descriptor became readable and every connection was closed", server.counterpart) {
                    !server.counterpart.isAlive
                }
            },
            .peer(
                "idle-without-spinning", "waiting clients cost no processor time", points: 8, property: .blockingNotSpinning, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 10)
                let idle = try server.connect()
                try idle.exchange([random.bytes(20)])
                let midRequest = try server.connect()
                try midRequest.sendAll([0, 0, 0, 9, 1, 2], what: "part of a request")
                try server.settle("going to sleep while its clients sent nothing")
                let share = server.counterpart.asleepShare(samples: 50, interval: .milliseconds(20))
                if share < 0.5 {
                    throw CheckFailure("while no client sent anything for a second, your program was running at \(Int((1 - share) * 100))% of 50 looks: it spins (polls without blocking) instead of waiting in poll, accept or read")
                }
                try idle.exchange([random.bytes(20)])
            },
            .peer(
                "interrupted-calls", "calls interrupted by a signal are retried", points: 8, property: .interruptedCalls, .hidden
            ) {
                let server = try ServerUnderTest()
                var random = PeerRandom(seed: 12)
                let client = try server.connect()
                for round in 0..<8 {
                    // Whenever the program is asleep (blocked in poll, accept, read or write), a
                    // signal interrupts the call it is blocked in: it must retry, not give up.
                    try server.settle("going to sleep before interruption \(round + 1)")
                    guard server.counterpart.interrupt() > 0 else { throw CheckFailure("your program ended after a signal interrupted a call it was blocked in") }
                    let request = random.bytes(1_000 + random.upTo(60_000))
                    let frame = Client.frame(request)
                    let half = frame.count / 2
                    try client.sendAll(Array(frame[0..<half]), what: "half a request")
                    try client.awaitConsumed("half a request after a signal interrupted a blocked call")
                    try server.settle("waiting for the rest of a request")
                    server.counterpart.interrupt()
                    try client.sendAll(Array(frame[half...]), what: "the rest of a request")
                    do {
                        try client.awaitResponse(to: request, what: "a request whose wait was interrupted by a signal (EINTR) twice")
                    } catch let failure as CheckFailure {
                        throw CheckFailure(failure.message + " — a call that returns EINTR was interrupted by a signal and must be retried")
                    }
                    if round % 2 == 1 {
                        let newcomer = try server.connect()
                        try newcomer.exchange([random.bytes(100)])
                    }
                }
            },
            .peer(
                "pipe-pair", "100 requests over a pipe pair, then end of file", points: 8, property: .integrity, .hidden
            ) {
                let pipes = try PipeUnderTest()
                var random = PeerRandom(seed: 11)
                try pipes.client.exchange((0..<100).map { _ in random.bytes(random.upTo(4_096)) })
                pipes.client.closeSending()
                try awaitProgram("ending once its input pipe reached end of file", pipes.counterpart) { !pipes.counterpart.isAlive }
            },
        ]
    }
}
