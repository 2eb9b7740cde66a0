import CheckKit
import PeerKit

/// The checks students run with `turnstile test`: the grader's peer against their program.
enum PublicChecks {
    static var all: [CheckDefinition] {
        [
            .peer(
                "echo-one", "one client: one request, then an empty one",
                explanation: "A client connects and sends a 13-byte request, then a 0-byte one; each response must be the request reversed, framed with a 4-byte big-endian length.",
                points: 6, property: .wireFormat, .public
            ) {
                let server = try ServerUnderTest()
                let client = try server.connect()
                try client.exchange([Array("hello, server".utf8)])
                try client.exchange([[]])
            },
            .peer(
                "sequential-requests", "one client, 50 requests of up to 2,000 bytes, one at a time",
                explanation: "Each request is sent only after the previous response arrived; every response must match.",
                points: 6, property: .integrity, .public
            ) {
                let server = try ServerUnderTest()
                let client = try server.connect()
                var random = PeerRandom(seed: 1)
                for _ in 0..<50 { try client.exchange([random.bytes(random.upTo(2_000))]) }
            },
        ]
    }
}
