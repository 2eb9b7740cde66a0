import CheckKit
import Foundation
import PeerKit

/// The grader's hidden checks: secrets the student has never seen, every order of the two
/// sides' requests, a long secret, and the channel's capacity against the reference channel's,
/// measured in the same check on the same secret and order.
enum HiddenChecks {
    /// The capacity of a transfer in bits per round: rate × (1 − H2(p⁺)) (Shannon's capacity of
    /// a binary symmetric channel), p⁺ the share of bits that arrived wrong or not at all, raised
    /// by three standard deviations of its estimate from `sent` bits. With the measured share
    /// itself, a receiver that guesses without using the channel (p near ½ by chance, in next to
    /// no rounds) would show a large capacity; with p⁺ it has none. An exact channel's p⁺ is 3/n.
    static func capacity(_ transfer: ChannelRun.Transfer) -> (rate: Double, errorRate: Double, capacity: Double) {
        let sent = transfer.sent.count
        guard sent > 0, transfer.rounds > 0 else { return (0, 0, 0) }
        let compared = min(sent, transfer.received.count)
        let wrong = (0..<compared).filter { transfer.sent[$0] != transfer.received[$0] }.count + (sent - compared)
        let n = Double(sent), measured = Double(wrong) / n
        let deviation = (max(measured * (1 - measured), 1 / n) / n).squareRoot()
        let p = min(0.5, measured + 3 * deviation)
        let entropy = p <= 0 ? 0 : -(p * log2(p) + (1 - p) * log2(1 - p))
        let rate = n / Double(transfer.rounds)
        return (rate, measured, rate * (1 - entropy))
    }

    static func describe(_ transfer: ChannelRun.Transfer) -> String {
        let (rate, errorRate, capacity) = capacity(transfer)
        return "\(transfer.sent.count) bits in \(transfer.rounds) rounds (\(format(rate)) bits per round, \(format(errorRate * 100)) % wrong, capacity \(format(capacity)) bits per round)"
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    static var all: [CheckDefinition] {
        // Graded runs of the public checks add a secret from this seed, which students never
        // see, so printing the public checks' fixed secrets without a channel earns nothing.
        ChannelRun.gradingSeed = 0x9A_DE_D5_EC
        return [
            .peer(
                "random-secrets", "secrets of 0, 1, 7, 100 and 257 random bits",
                explanation: "Five secrets the grader draws from a seed you do not know, the shortest empty; each round's order is drawn from a seed. Every one must arrive exactly.",
                points: 10, property: .integrity, .hidden
            ) {
                let run = try ChannelRun()
                for (index, count) in [0, 1, 7, 100, 257].enumerated() {
                    let transfer = try run.transfer(ChannelRun.secret(count, seed: 0x5EC2_E7 &+ UInt64(index)), order: .seeded(21 &+ UInt64(index)))
                    try ChannelRun.expectExact(transfer, "a secret of \(count) random bits")
                }
            },
            .peer(
                "constant-secrets", "64 zeros, 64 ones, and 64 alternating bits",
                explanation: "Secrets in which the data never changes (all zeros, all ones) or changes at every bit, in an order you do not know and with a random secret among them: a receiver that learns of a new bit only from a change of the data, or that misses one, fails here.",
                points: 8, property: .integrity, .hidden
            ) {
                let run = try ChannelRun()
                // A random secret among them: a receiver that prints these without a channel fails.
                let secrets: [(String, [Bool])] = [
                    ("64 ones", Array(repeating: true, count: 64)), ("64 random bits", ChannelRun.secret(64, seed: 0xC0_57)),
                    ("64 alternating bits", (0..<64).map { $0 % 2 == 0 }), ("64 zeros", Array(repeating: false, count: 64)),
                ]
                for (index, (name, secret)) in secrets.enumerated() {
                    try ChannelRun.expectExact(try run.transfer(secret, order: .seeded(31 &+ UInt64(index))), name)
                }
            },
            .peer(
                "round-orders", "127 bits with the sender first in every round, then the receiver first, then mixed",
                explanation: "The same kind of secret three times: the service carries out the sender's request first in every round, then the receiver's first in every round, then in an order drawn for each round. A channel that works only when one side's request happens to come first fails here.",
                points: 10, property: .progress, .hidden
            ) {
                let run = try ChannelRun()
                let orders: [(String, LockService.Order)] = [
                    ("the sender's request first in every round", .senderFirst),
                    ("the receiver's request first in every round", .receiverFirst), ("rounds in a drawn order", .seeded(5)),
                ]
                for (index, (name, order)) in orders.enumerated() {
                    let transfer = try run.transfer(ChannelRun.secret(127, seed: 0x0DE2 &+ UInt64(index)), order: order)
                    try ChannelRun.expectExact(transfer, "127 bits with \(name)")
                }
            },
            .peer(
                "long-secret", "2,000 random bits",
                explanation: "A long secret, rounds in a drawn order: every bit must arrive, in order, within 40 rounds per bit.",
                points: 8, property: .integrity, .hidden
            ) {
                let run = try ChannelRun()
                try ChannelRun.expectExact(try run.transfer(ChannelRun.secret(2_000, seed: 0x10_4E), order: .seeded(77)), "2,000 random bits")
            },
            .peer(
                "capacity", "capacity at least half the reference channel's, on the same secret and round order",
                explanation: "512 random bits through your channel and through the course's reference channel (a data lock, a clock, an acknowledgement and the sender's presence) with the same round order; capacity is bits per round × (1 − H2(p⁺)), p⁺ the error rate raised by three standard deviations (so guessing carries nothing). Yours must reach half the reference's.",
                points: 12, property: .channelCapacity, .hidden
            ) {
                let run = try ChannelRun()
                let secret = ChannelRun.secret(512, seed: 0xCA9A)
                let reference = try ReferenceChannel.transfer(secret, order: .seeded(9))
                guard reference.received == secret else {
                    throw CheckIncomplete(waitingFor: "the reference channel, which did not deliver its secret: the grader's problem")
                }
                let yours = try run.transfer(secret, order: .seeded(9))
                let ratio = capacity(yours).capacity / capacity(reference).capacity
                guard ratio >= 0.5 else {
                    throw CheckFailure("your channel: \(describe(yours)); the reference: \(describe(reference)); yours reaches \(format(ratio)) of the reference's capacity, at least 0.5 is needed")
                }
            },
        ] + HiddenServerChecks.all
    }
}
