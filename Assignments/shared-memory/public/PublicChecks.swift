import CheckKit
import PeerKit

/// The checks students run with `turnstile test`: the grader's peer against their program.
enum PublicChecks {
    static var all: [CheckDefinition] {
        [
            .peer(
                "echo-small", "two rings the grader formatted: 20 short messages there and back",
                explanation: "The grader formats two 4 KiB rings and hands them to your program (echo role); it publishes 20 messages of up to 100 bytes into the first and, once your program has taken them, closes it; your program must send each back, in order, on the second, then close that one.",
                points: 6, property: .wireFormat, .public
            ) {
                let inbound = try RingView.format(capacity: 4_096), outbound = try RingView.format(capacity: 4_096)
                let program = try RingProgram.echo(inbound: inbound, outbound: outbound)
                var random = PeerRandom(seed: 1)
                let messages = (0..<20).map { _ in random.bytes(random.upTo(100)) }
                for message in messages { try inbound.publish(message) }
                // Closed once the program took every message, so no verdict here depends on
                // whether a close overtakes messages (a hidden check tests that on purpose).
                try program.waitFor("taking the 20 messages from the first ring", until: { inbound.used == 0 })
                inbound.closeProducer()
                try program.collect(from: outbound, expecting: messages)
                try program.awaitEnd("after both rings were closed")
            },
            .peer(
                "create-and-produce", "your program creates a ring by name and sends 8 messages",
                explanation: "Your program (produce role) creates the shared-memory object it is told, formats a 4 KiB ring in it and sends 8 messages of up to 259 bytes; the grader opens the object by name, reads them, and after your program ends the name must be gone.",
                points: 6, property: .wireFormat, .public
            ) {
                let name = RingProgram.freshName()
                let program = try RingProgram.produce(name: name, capacity: 4_096, count: 8)
                let ring = try program.awaitRing(named: name, asConsumer: true)
                guard ring.capacity == 4_096 else { throw CheckFailure("the ring's capacity word says \(ring.capacity); it was asked for 4096") }
                let expected = (0..<8).map { RingProgram.producedMessage($0, maximum: 4_096 / 2 - 8) }
                try program.collect(from: ring, expecting: expected)
                try program.awaitEnd("after sending its messages and closing the ring")
                try program.expectNoLeftovers([name])
            },
        ]
    }
}
