import CheckKit
import PeerKit

/// The checks students run with `turnstile test`: their sender and receiver, each in its own
/// process, through the grader's lock service.
enum PublicChecks {
    static var all: [CheckDefinition] {
        [
            .peer(
                "short-secret", "16 fixed bits from your sender to your receiver, the sender's request first in every round",
                explanation: "The grader hands your sender the bits 1011001011100001 and your receiver the count 16; the lock service carries out the sender's request first in every round. Your receiver must decode exactly those bits. When graded, a second secret of 16 bits follows, drawn from a seed you do not know.",
                points: 6, property: .integrity, .public
            ) {
                let run = try ChannelRun()
                let secret = "1011001011100001".map { $0 == "1" }
                try ChannelRun.expectExact(try run.transfer(secret, order: .senderFirst), "16 fixed bits")
                if let seed = ChannelRun.gradingSeed {
                    try ChannelRun.expectExact(try run.transfer(ChannelRun.secret(16, seed: seed), order: .senderFirst), "16 more bits, drawn when graded")
                }
            },
            .peer(
                "random-64", "64 random bits, each round's order drawn from a seed",
                explanation: "64 bits from a fixed seed; in each round the service flips a coin (from a fixed seed) for whose request it carries out first. Your receiver must decode exactly the secret. When graded, a second secret of 64 bits follows, drawn from a seed you do not know.",
                points: 6, property: .integrity, .public
            ) {
                let run = try ChannelRun()
                try ChannelRun.expectExact(try run.transfer(ChannelRun.secret(64, seed: 11), order: .seeded(1)), "64 random bits")
                if let seed = ChannelRun.gradingSeed {
                    try ChannelRun.expectExact(try run.transfer(ChannelRun.secret(64, seed: seed &+ 1), order: .seeded(1)), "64 more random bits, drawn when graded")
                }
            },
            .peer(
                "serve-basics", "your lock server: one principal's clients exclude each other, another principal has its own locks",
                explanation: "Your program serves three clients, two of principal 0 and one of principal 1. The first takes lock 0; the second must find it taken (T answers N, Q answers Y) while the first's Q answers N (it holds it itself); the principal-1 client takes its own lock 0 at once; after the first unlocks, the second takes it; unlocking a lock you do not hold answers N.",
                points: 6, property: .mutualExclusion, .public
            ) {
                let server = try ServerProgram(principals: [0, 0, 1])
                try ServerProgram.expect(try server.request(0, "L", 0), .yes, "client 1 L 0", "L takes a free lock")
                try ServerProgram.expect(try server.request(1, "T", 0), .no, "client 2 T 0 while client 1 (same principal) holds it", "T fails on a lock another client of your principal holds")
                try ServerProgram.expect(try server.request(1, "Q", 0), .yes, "client 2 Q 0", "Q answers Y when another client of your principal holds the lock")
                try ServerProgram.expect(try server.request(0, "Q", 0), .no, "client 1 Q 0", "Q answers N for a lock you hold yourself")
                try ServerProgram.expect(try server.request(2, "T", 0), .yes, "client 3 (principal 1) T 0", "each principal has its own lock 0")
                try ServerProgram.expect(try server.request(0, "U", 0), .yes, "client 1 U 0", "U releases a lock you hold")
                try ServerProgram.expect(try server.request(1, "T", 0), .yes, "client 2 T 0 after client 1 unlocked it", "a released lock is free")
                try ServerProgram.expect(try server.request(1, "U", 1), .no, "client 2 U 1", "U of a lock you do not hold answers N")
            },
        ]
    }
}
