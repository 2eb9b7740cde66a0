import CheckKit
import Glibc
import PeerKit

/// The grader's hidden checks: the course's reference ring as the other end of every ring, fed
/// with fixed-seed messages, and the protocol's words read directly where the reference would
/// only hide a mistake (a missed wake-up costs a reference end that sleeps in slices only time).
enum HiddenChecks {
    /// Message `index` of a run seeded `seed`: mostly short, sometimes long, up to `maximum` bytes.
    static func message(_ index: Int, seed: UInt64, maximum: Int) -> [UInt8] {
        var random = PeerRandom(seed: seed &* 1_000_003 &+ UInt64(index))
        let roll = random.upTo(99)
        let size = roll < 90 ? random.upTo(min(64, maximum)) : roll < 99 ? random.upTo(min(4_096, maximum)) : random.upTo(maximum)
        return random.bytes(size)
    }

    /// The program echoing between two reference rings of `inbound` and `outbound` bytes.
    static func echoSetup(inbound: Int, outbound: Int) throws -> (RingProgram, ReferenceEnd, ReferenceEnd) {
        let sender = try ReferenceEnd.format(capacity: inbound, role: .producer)
        let receiver = try ReferenceEnd.format(capacity: outbound, role: .consumer)
        let program = try RingProgram.echo(inbound: sender.view, outbound: receiver.view)
        sender.watch(program)
        receiver.watch(program)
        return (program, sender, receiver)
    }

    /// An echo run of `count` messages of `message(i)`.
    static func echo(_ count: Int, _ sender: ReferenceEnd, _ receiver: ReferenceEnd, message: @escaping (Int) -> [UInt8]) -> Exchange {
        Exchange(sender: sender, sendCount: count, message: message, receiver: receiver, receiveCount: count, expected: message)
    }

    /// Waits until the program has attached to `ring` as its consumer and to `other` as producer.
    static func awaitAttached(_ program: RingProgram, consumerOf ring: RingView, producerOf other: RingView) throws {
        try program.waitFor("attaching to both rings (storing its pid in consumerPID and producerPID)", until: {
            ring.word32(RingView.consumerPIDOffset).load() != 0 && other.word32(RingView.producerPIDOffset).load() != 0
        })
    }

    static var all: [CheckDefinition] {
        [
            .peer(
                "echo-random-sizes", "100,000 messages of random sizes there and back, 64 KiB rings",
                explanation: "The reference end sends 100,000 fixed-seed messages (mostly up to 64 bytes, some up to 4 KiB, a few up to the 32,760-byte maximum) while reading the echoes; every one must come back intact and in order.",
                points: 8, property: .integrity, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 65_536, outbound: 65_536)
                var exchange = echo(100_000, sender, receiver) { message($0, seed: 1, maximum: 32_760) }
                try exchange.run(program)
                try program.awaitEnd("after both rings were closed")
            },
            .peer(
                "wrap-around", "256-byte rings: 4,000 messages whose records end at every offset",
                explanation: "With 256 data bytes a ring wraps every few messages; the sizes cycle through 0 to 120 bytes (the maximum), so records and wrap records fall at every offset, including exactly at the end of the data area.",
                points: 9, property: .integrity, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 256, outbound: 256)
                var exchange = echo(4_000, sender, receiver) { index in
                    var random = PeerRandom(seed: 7 &+ UInt64(index))
                    return random.bytes(index * 53 % 121)
                }
                try exchange.run(program)
                try program.awaitEnd("after both rings were closed")
            },
            .peer(
                "full-ring", "the ring back fills up: your producer must sleep, then go on without overwriting",
                explanation: "The grader sends 600 messages into a 16 KiB ring and, in rounds, reads nothing from the 1 KiB ring back until your program sleeps for room, then empties it while your program is stopped; the ring must never hold more than 1,024 bytes, and every message must arrive intact.",
                points: 8, property: .progress, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 16_384, outbound: 1_024)
                let make = { (index: Int) in message(index, seed: 3, maximum: 400) }
                var exchange = echo(600, sender, receiver, message: make)
                // Rounds: the program fills the ring back until it must sleep (the grader reads
                // nothing), then, while it is stopped, the grader empties the ring. Each round's
                // filling depends on the messages alone, so every run sees the same blocking points.
                exchange.stopWhenBlocked = true
                while exchange.received < 600 && !exchange.closedSeen {
                    let before = (exchange.sent, exchange.received)
                    exchange.receiveCount = exchange.received
                    try exchange.run(program)
                    let used = receiver.view.used
                    guard used <= 1_024 else {
                        throw CheckFailure("your program published \(used) bytes into a ring of 1,024 (tail − head > capacity): it wrote over messages not yet read")
                    }
                    exchange.receiveCount = 600
                    try exchange.drainPaused(program)
                    guard (exchange.sent, exchange.received) != before || exchange.closedSeen else {
                        throw CheckFailure(
                            program.counterpart.isAlive
                                ? "your program stopped with \(exchange.sent - exchange.received) messages still to echo and nothing in the ring back: every thread of it waits"
                                : "your program ended after echoing \(exchange.received) of 600 messages")
                    }
                }
                exchange.stopWhenBlocked = false
                try exchange.run(program)
                try program.awaitEnd("after both rings were closed")
            },
            .peer(
                "idle-without-spinning", "nothing to receive for a while: your consumer must sleep",
                explanation: "After 50 messages the grader sends nothing; your program must be asleep in the kernel (the futex), not running, while it waits.",
                points: 8, property: .blockingNotSpinning, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 4_096, outbound: 4_096)
                var exchange = echo(50, sender, receiver) { message($0, seed: 4, maximum: 200) }
                exchange.closeWhenSent = false
                exchange.expectClose = false
                try exchange.run(program)
                try program.waitFor("sleeping while its inbound ring is empty", until: { false }, onAsleep: {}, cpuBudget: 1.5)
            },
            .peer(
                "wake-on-publish", "publishing while the consumer sleeps: signal it",
                explanation: "The grader marks its consumer end of the ring back as sleeping (consumerSleeping = 1) and sends one message; when your program publishes the echo it must increment dataSignal (and futex-wake it), or a consumer asleep without a timeout never wakes.",
                points: 8, property: .progress, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 4_096, outbound: 4_096)
                try awaitAttached(program, consumerOf: sender.view, producerOf: receiver.view)
                let signal = receiver.view.word32(RingView.dataSignalOffset)
                receiver.view.word32(RingView.consumerSleepingOffset).store(1)
                let before = signal.load()
                guard try sender.trySend(Array("wake me".utf8)) else { throw CheckFailure("the grader could not send into an empty ring (the grader's problem)") }
                try program.waitFor("publishing the echo and signalling the sleeping consumer", until: { receiver.view.used > 0 && signal.load() != before }) {
                    throw CheckFailure(
                        receiver.view.used == 0
                            ? "your program stopped without echoing the message"
                            : "your program published the echo while the grader's consumer had announced it was sleeping (consumerSleeping = 1), but did not increment dataSignal and wake it: that consumer would sleep for good")
                }
            },
            .peer(
                "wake-on-release", "consuming while the producer sleeps: signal it",
                explanation: "The grader marks its producer end of the ring to your program as sleeping (producerSleeping = 1) and sends one message; when your program consumes it (moves head) it must increment spaceSignal (and futex-wake it), or a producer waiting for room without a timeout never wakes.",
                points: 8, property: .progress, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 4_096, outbound: 4_096)
                try awaitAttached(program, consumerOf: sender.view, producerOf: receiver.view)
                let signal = sender.view.word32(RingView.spaceSignalOffset)
                sender.view.word32(RingView.producerSleepingOffset).store(1)
                let before = signal.load()
                guard try sender.trySend(Array("make room".utf8)) else { throw CheckFailure("the grader could not send into an empty ring (the grader's problem)") }
                try program.waitFor("consuming the message and signalling the sleeping producer", until: { sender.view.used == 0 && signal.load() != before }) {
                    throw CheckFailure(
                        sender.view.used > 0
                            ? "your program stopped without consuming the message"
                            : "your program consumed a message (moved head) while the grader's producer had announced it was sleeping (producerSleeping = 1), but did not increment spaceSignal and wake it: that producer would wait for room for good")
                }
                _ = receiver
            },
            .peer(
                "close-drains", "the producer closes with 300 messages still in the ring",
                explanation: "While your program is stopped (SIGSTOP), the grader publishes 300 messages and closes its end; once continued, your program must still receive and echo all 300, then close the ring back.",
                points: 8, property: .cleanShutdown, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 65_536, outbound: 65_536)
                try awaitAttached(program, consumerOf: sender.view, producerOf: receiver.view)
                let make = { (index: Int) in message(index, seed: 5, maximum: 100) }
                guard program.counterpart.pause() > 0 else { throw CheckFailure("the grader could not stop your program (the grader's problem)") }
                for index in 0..<300 {
                    if try sender.trySend(make(index)) { continue }
                    program.counterpart.resume()
                    throw CheckFailure("the grader could not publish 300 short messages into an empty 64 KiB ring (the grader's problem)")
                }
                sender.ring.close()
                program.counterpart.resume()
                var exchange = Exchange(receiver: receiver, receiveCount: 300, expected: make)
                try exchange.run(program)
                try program.awaitEnd("after both rings were closed")
            },
            .peer(
                "vanish-while-empty", "the grader's end vanishes while your program waits for a message",
                explanation: "After 10 messages, while your program sleeps waiting for the next, the grader's end vanishes (its peer descriptor closes, as when its process dies); your program must notice and end, not wait for ever.",
                points: 8, property: .peerDeath, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 4_096, outbound: 4_096)
                var exchange = echo(10, sender, receiver) { message($0, seed: 6, maximum: 200) }
                exchange.closeWhenSent = false
                exchange.expectClose = false
                try exchange.run(program)
                try program.waitFor("sleeping while its inbound ring is empty", until: { false }, onAsleep: {})
                program.vanish()
                try program.awaitEnd("after the grader's end vanished while it waited for a message")
            },
            .peer(
                "vanish-while-full", "the grader's end vanishes while your program waits for room",
                explanation: "The grader stops reading the 1 KiB ring back; once your program sleeps waiting for room, the grader's end vanishes; your program must notice and end.",
                points: 8, property: .peerDeath, .hidden
            ) {
                let (program, sender, receiver) = try echoSetup(inbound: 16_384, outbound: 1_024)
                var exchange = echo(600, sender, receiver) { message($0, seed: 8, maximum: 400) }
                exchange.stopWhenBlocked = true
                exchange.receiveCount = 0
                exchange.closeWhenSent = false
                try exchange.run(program)
                program.vanish()
                try program.awaitEnd("after the grader's end vanished while it waited for room")
            },
            .peer(
                "create-and-relay", "your program creates a ring by name as its consumer",
                explanation: "Your program (relay role) creates a 16 KiB ring under the name it is told; the reference end attaches as its producer, sends 2,000 messages and closes; your program echoes them on a 1 MiB ring the grader formatted, closes it, unlinks the name and ends.",
                points: 8, property: .wireFormat, .hidden
            ) {
                let name = RingProgram.freshName()
                // The outbound ring (1 MiB) holds all 2,000 echoes (0.46 MiB with their record
                // headers) without wrapping, so whether a wrapping bug shows here does not hang on
                // how fast the two ends happen to run: this check is about naming, and wrapping has
                // its own checks with a paced reference end. (A region must stay below the run's
                // 16 MiB file-size limit.)
                let receiver = try ReferenceEnd.format(capacity: 1 << 20, role: .consumer)
                let program = try RingProgram.relay(name: name, capacity: 16_384, outbound: receiver.view)
                receiver.watch(program)
                let sender = try ReferenceEnd.attach(named: name, role: .producer, program: program)
                var exchange = echo(2_000, sender, receiver) { message($0, seed: 9, maximum: 8_184) }
                try exchange.run(program)
                try program.awaitEnd("after both rings were closed")
                try program.expectNoLeftovers([name])
            },
            .peer(
                "no-leaked-objects", "a created ring, 3,000 messages through 1 KiB, and nothing left behind",
                explanation: "Your program (produce role) creates a 1 KiB ring and sends 3,000 messages through it to the reference end; when it has ended, neither its shared-memory object nor anything else may be left in /dev/shm.",
                points: 7, property: .resourceLeaks, .hidden
            ) {
                let name = RingProgram.freshName()
                let program = try RingProgram.produce(name: name, capacity: 1_024, count: 3_000)
                let receiver = try ReferenceEnd.attach(named: name, role: .consumer, program: program)
                var exchange = Exchange(receiver: receiver, receiveCount: 3_000, expected: { RingProgram.producedMessage($0, maximum: 1_024 / 2 - 8) })
                try exchange.run(program)
                try program.awaitEnd("after sending its messages and closing the ring")
                try program.expectNoLeftovers([name])
            },
        ]
    }
}
