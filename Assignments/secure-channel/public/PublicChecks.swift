import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The public checks, the XCTest way, and the vocabulary the hidden checks share. Each check
/// drives the student's sessions through the contract; a failure names what an attacker got
/// away with, or which record did not arrive as sent.
class SecureChannelChecks: CheckCase {
    /// The chaining key and handshake hash of the public sessions.
    static let chainingKey = [UInt8](repeating: 0x01, count: 32)
    static let handshakeHash = [UInt8](repeating: 0x02, count: 32)

    /// Set by the hidden checks when grading: the reference end's first data record for a
    /// chaining key, handshake hash and payload, so the graded known-answer check also asks for
    /// records you have never seen (nil when you run the checks yourself).
    nonisolated(unsafe) static var gradedReference: (([UInt8], [UInt8], [UInt8]) -> [UInt8])?

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    /// Seals with `session`, failing the check (and returning nil) if it refuses.
    func sealed(_ session: any SessionUnderTest, _ what: String, _ seal: (any SessionUnderTest) -> [UInt8]?) -> [UInt8]? {
        guard let record = seal(session) else {
            CheckFail("\(what): your session refused to seal it")
            return nil
        }
        return record
    }

    /// Fails unless `session` opens `record` to `expected`.
    func expectOpens(_ session: any SessionUnderTest, _ record: [UInt8], _ expected: ReceivedUnderTest, _ what: String) {
        let got = session.open(record)
        CheckAssert(got == expected, "\(what): expected \(expected), your session made \(got.map(\.description) ?? "a refusal") of it")
    }

    /// Fails unless `session` refuses `record`.
    func expectRefused(_ session: any SessionUnderTest, _ record: [UInt8], attack: String) {
        if let got = session.open(record) { CheckFail("\(attack): your session accepted it as \(got)") }
    }

    /// Your initiator and your responder talk: every record opens to what was sealed, in both
    /// directions, across a rekey, up to the end record.
    func roundTrip() {
        let initiator = Submission.makeSession(role: .initiator, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        let responder = Submission.makeSession(role: .responder, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        for (from, to, name) in [(initiator, responder, "initiator to responder"), (responder, initiator, "responder to initiator")] {
            for index in 0..<30 {
                let payload = (0..<(index * 37 % 300)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
                if index == 15 {
                    guard let rekey = sealed(from, "a rekey \(name)", { $0.sealRekey() }) else { return }
                    expectOpens(to, rekey, .rekey, "a rekey record \(name)")
                }
                guard let record = sealed(from, "message \(index) \(name)", { $0.seal(payload) }) else { return }
                expectOpens(to, record, .data(payload), "message \(index) \(name)")
            }
            guard let end = sealed(from, "the end record \(name)", { $0.sealEnd() }) else { return }
            expectOpens(to, end, .end, "the end record \(name)")
            CheckAssert(to.close(), "the stream \(name) ended with its end record, yet close() refused")
        }
    }

    /// The first records of the README's example, byte for byte.
    func knownAnswers() {
        let initiator = Submission.makeSession(role: .initiator, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        let expected: [(String, String, (any SessionUnderTest) -> [UInt8]?)] = [
            ("the initiator's data record \"hello\" (counter 0)", "0000000000000000f7ebdb942a228769e123271c0dc901ed090cf5218866", { $0.seal(Array("hello".utf8)) }),
            ("its rekey record (counter 1)", "0100000000000000e97bbab53944744c80084be43350f57f5c", { $0.sealRekey() }),
            ("its data record \"after rekey\" (counter 2, the next key)", "0200000000000000dd380cac89b7875bf2f908efb2eb25671110fa808bf8eb4707406777", { $0.seal(Array("after rekey".utf8)) }),
        ]
        for (what, hex, seal) in expected {
            guard let record = sealed(initiator, what, seal) else { return }
            CheckAssert(Self.hex(record) == hex, "\(what): expected \(hex), your session sealed \(Self.hex(record))")
        }
        let responder = Submission.makeSession(role: .responder, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        guard let record = sealed(responder, "the responder's data record \"hi\"", { $0.seal(Array("hi".utf8)) }) else { return }
        let hex = "0000000000000000a952445fa88f44cba5485636c0d15bd0aef49a"
        CheckAssert(Self.hex(record) == hex, "the responder's data record \"hi\" (the split's second key): expected \(hex), your session sealed \(Self.hex(record))")
        if let reference = Self.gradedReference {
            let chainingKey = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }, hash = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 9) }
            let payload = Array("a record you have not seen".utf8)
            let session = Submission.makeSession(role: .initiator, chainingKey: chainingKey, handshakeHash: hash)
            guard let record = sealed(session, "an initiator's first record under a chaining key drawn when graded", { $0.seal(payload) }) else { return }
            CheckAssert(record == reference(chainingKey, hash, payload), "an initiator's first record under a chaining key drawn when graded is not what the wire format gives")
        }
    }

    /// One flipped bit in a record is refused, and so is everything after it.
    func tamperBasics() {
        let initiator = Submission.makeSession(role: .initiator, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        let responder = Submission.makeSession(role: .responder, chainingKey: Self.chainingKey, handshakeHash: Self.handshakeHash)
        guard let first = sealed(initiator, "message 0", { $0.seal([1, 2, 3]) }),
            let second = sealed(initiator, "message 1", { $0.seal([4, 5, 6]) })
        else { return }
        expectOpens(responder, first, .data([1, 2, 3]), "message 0")
        var tampered = second
        tampered[10] ^= 0x01
        expectRefused(responder, tampered, attack: "message 1 with one bit of its ciphertext flipped")
        expectRefused(responder, second, attack: "the genuine message 1 after a tampered one was refused (a failed channel stays failed)")
    }

    override class var checks: [CheckDefinition] {
        let once = CheckMode.controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1))
        return [
            check(
                "round-trip", "your initiator and responder exchange 30 messages each way, across a rekey, to the end record",
                explanation: "each record opens to exactly what was sealed, in order, in both directions; close() accepts a stream that ended with its end record.",
                points: 12, property: .integrity, .public, once, SecureChannelChecks.roundTrip),
            check(
                "known-answers", "the README's example records, byte for byte",
                explanation: "the split, the nonce, the header as associated data, the type byte and the rekey exactly as the wire format says: another implementation must be able to talk to yours. When graded, a record under keys you have not seen is asked for as well.",
                points: 10, property: .wireFormat, .public, once, SecureChannelChecks.knownAnswers),
            check(
                "tamper-basics", "a flipped bit is refused, and the channel stays failed",
                explanation: "an AEAD tag that does not verify means the record is refused; a channel that refused a record refuses everything after it.",
                points: 8, property: .tamperDetection, .public, once, SecureChannelChecks.tamperBasics),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { SecureChannelChecks.checks }
}
