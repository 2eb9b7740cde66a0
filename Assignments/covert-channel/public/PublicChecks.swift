import CheckKit
import PeerKit

/// The checks students run with `turnstile test`: their sender and receiver, each in its own
/// process, through the grader's lock service.
enum PublicChecks {
    static var all: [CheckDefinition] {
        [
            .peer(
                "short-secret", "16 fixed bits from your sender to your receiver, the sender's request first in every round",
                explanation: "The grader hands your sender the bits 1011001011100001 and your receiver the count 16; the lock service carries out the sender's request first in every round. Your receiver must decode exactly those bits.",
                points: 8, property: .integrity, .public
            ) {
                let run = try ChannelRun()
                let secret = "1011001011100001".map { $0 == "1" }
                try ChannelRun.expectExact(try run.transfer(secret, order: .senderFirst), "16 fixed bits")
            },
            .peer(
                "random-64", "64 random bits, each round's order drawn from a seed",
                explanation: "64 bits from a fixed seed; in each round the service flips a coin (from a fixed seed) for whose request it carries out first. Your receiver must decode exactly the secret.",
                points: 8, property: .integrity, .public
            ) {
                let run = try ChannelRun()
                try ChannelRun.expectExact(try run.transfer(ChannelRun.secret(64, seed: 11), order: .seeded(1)), "64 random bits")
            },
        ]
    }
}
