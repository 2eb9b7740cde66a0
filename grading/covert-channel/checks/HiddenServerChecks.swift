import CheckKit
import PeerKit

/// Part 2's hidden checks: your server against the grader's model of the partitioned service,
/// the reference channel through it (legitimate use within a principal must work; between
/// principals it must carry nothing), waiting and hand-over, and misbehaving clients.
enum HiddenServerChecks {
    /// The reference channel through your server between clients `sender` and `receiver`.
    static func channel(through server: ServerProgram, sender: Int, receiver: Int, _ secret: [Bool], seed: UInt64) throws -> ChannelRun.Transfer {
        try ReferenceSteps.transfer(secret, seed: seed, maxRounds: ChannelRun.roundLimit(bits: secret.count)) { end, operation, lock in
            switch try server.request(end == 0 ? sender : receiver, operation, lock) {
            case .yes: return true
            case .no: return false
            case .waiting: return nil
            }
        }
    }

    /// The reference channel through the grader's model of a shared (unmitigated) service.
    static func channelThroughSharedService(_ secret: [Bool], seed: UInt64) throws -> ChannelRun.Transfer {
        var model = LockModel(principals: [0, 1], partitioned: false)
        return try ReferenceSteps.transfer(secret, seed: seed, maxRounds: ChannelRun.roundLimit(bits: secret.count)) { end, operation, lock in
            if case .reply(let reply) = model.apply(end, operation, lock).0 { return reply }
            return nil
        }
    }

    static var all: [CheckDefinition] {
        [
            .peer(
                "waiting-and-handover", "L waits while another client of the principal holds the lock, and gets it in the order of waiting",
                explanation: "Three clients of one principal: the first holds lock 0, the second and third ask for it and must wait (no reply); a client of another principal gets its own lock 0 at once. When the holder unlocks, the second (who waited longest) must get it and the third keep waiting; when the second disconnects, the third must get it.",
                points: 6, property: .progress, .hidden
            ) {
                let server = try ServerProgram(principals: [0, 0, 0, 1])
                try ServerProgram.expect(try server.request(0, "L", 0), .yes, "client 1 L 0 (lock free)", "L takes a free lock")
                try ServerProgram.expect(try server.request(1, "L", 0), .waiting, "client 2 L 0 while client 1 of its principal holds it", "L waits until the lock is free")
                try ServerProgram.expect(try server.request(2, "L", 0), .waiting, "client 3 L 0 while client 1 holds it", "L waits until the lock is free")
                try ServerProgram.expect(try server.request(3, "L", 0), .yes, "client 4 (principal 1) L 0", "principal 1's lock 0 is not principal 0's")
                try ServerProgram.expect(try server.request(0, "U", 0), .yes, "client 1 U 0", "U releases a lock you hold")
                try server.awaitGrant(1, "client 1 unlocked it, and client 2 had waited longest")
                try server.expectSilence([2], "client 2 got the lock; client 3 waits for it")
                server.disconnect(1)
                try server.awaitGrant(2, "client 2, which held it, disconnected")
            },
            .peer(
                "channel-closed", "the reference covert channel carries nothing between principals, and still works within one",
                explanation: "The course's reference channel (a data lock, a clock, an acknowledgement, the sender's presence) runs 64 bits through your server twice: between two clients of one principal, where it is legitimate synchronization and must arrive exactly; and between two principals, where its capacity must fall to at most 5 % of what it has through a shared service (measured in the same check, with the same secret and round order).",
                points: 12, property: .channelCapacity, .hidden
            ) {
                // The run between principals uses two principals of its own, so nothing the run
                // within principal 0 left behind stands in its way.
                let server = try ServerProgram(principals: [0, 0, 1, 2])
                let secret = ChannelRun.secret(64, seed: 0xC105_ED)
                let within = try channel(through: server, sender: 0, receiver: 1, secret, seed: 3)
                try ChannelRun.expectExact(within, "between two clients of one principal (legitimate use; it must still work)", receiver: "the reference receiver")
                let before = try channelThroughSharedService(secret, seed: 4)
                let after = try channel(through: server, sender: 2, receiver: 3, secret, seed: 4)
                let ratio = HiddenChecks.capacity(after).capacity / HiddenChecks.capacity(before).capacity
                guard ratio <= 0.05 else {
                    throw CheckFailure("between principals the channel still carries \(HiddenChecks.describe(after)) through your server; through a shared service: \(HiddenChecks.describe(before)); that is \(HiddenChecks.format(ratio)) of the unmitigated capacity, at most 0.05 is allowed")
                }
            },
            .peer(
                "random-against-model", "600 random requests from six clients of three principals, each reply compared with the service's rules",
                explanation: "Six clients (principals 0, 0, 0, 1, 1, 2) send random L, U, T and Q requests on locks 0 and 1, and two of them disconnect along the way; every reply, every wait and every hand-over must be what the rules say.",
                points: 10, property: .mutualExclusion, .hidden
            ) {
                let principals = [0, 0, 0, 1, 1, 2]
                let server = try ServerProgram(principals: principals)
                var model = LockModel(principals: principals, partitioned: true)
                var random = PeerRandom(seed: 0x0DE1)
                var log: [String] = []
                func context() -> String { "after " + log.suffix(6).joined(separator: ", ") }
                for step in 0..<600 {
                    let candidates = principals.indices.filter { !model.waiting.contains($0) && !model.closed.contains($0) }
                    guard !candidates.isEmpty else { break }
                    let client = candidates[random.upTo(candidates.count - 1)]
                    if (step == 200 || step == 400) {
                        let granted = model.close(client)
                        server.disconnect(client)
                        log.append("client \(client + 1) disconnects")
                        for waiter in granted { try server.awaitGrant(waiter, "client \(client + 1), which held it, disconnected; \(context())") }
                        continue
                    }
                    let operation: Character = ["L", "U", "T", "Q", "U", "L"][random.upTo(5)]
                    let lock = random.upTo(1)
                    let (expected, granted) = model.apply(client, operation, lock)
                    let got = try server.request(client, operation, lock)
                    let request = "client \(client + 1) (principal \(principals[client])) \(operation) \(lock), \(context())"
                    log.append("client \(client + 1) \(operation) \(lock)")
                    switch expected {
                    case .waits: try ServerProgram.expect(got, .waiting, request, "another client of its principal holds the lock, so L waits")
                    case .reply(let yes):
                        let holder = model.holder(client, lock).map { "client \($0 + 1) holds it" } ?? "nobody holds it"
                        try ServerProgram.expect(got, yes ? .yes : .no, request, "\(holder) (among clients of principal \(principals[client]))")
                    }
                    for waiter in granted { try server.awaitGrant(waiter, "client \(client + 1) unlocked it and client \(waiter + 1) had waited longest; \(context())") }
                }
                try server.expectSilence(Array(model.waiting).sorted(), "the rest of the run")
            },
            .peer(
                "malformed-and-close", "a malformed request disconnects only its client, and releases its locks",
                explanation: "A client holding lock 1 sends a request with an operation the service does not have; your server must close that connection, release its lock 1 (to a client of the same principal waiting for it), and go on serving the others.",
                points: 6, property: .malformedInput, .hidden
            ) {
                let server = try ServerProgram(principals: [0, 0, 1])
                try ServerProgram.expect(try server.request(0, "L", 1), .yes, "client 1 L 1", "L takes a free lock")
                try ServerProgram.expect(try server.request(1, "L", 1), .waiting, "client 2 L 1 while client 1 holds it", "L waits")
                server.sendRaw(0, [0x58, 0x01])
                guard try server.isClosedByServer(0) else {
                    throw CheckFailure("client 1 sent the request X 1 (no such operation); your server did not close its connection")
                }
                try server.awaitGrant(1, "client 1 was disconnected for a malformed request")
                try ServerProgram.expect(try server.request(2, "T", 1), .yes, "client 3 (principal 1) T 1", "principal 1's lock 1 is its own")
                try ServerProgram.expect(try server.request(2, "Q", 1), .no, "client 3 Q 1 (it holds it itself)", "Q asks whether another client holds it")
            },
        ]
    }
}
