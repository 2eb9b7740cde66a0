import AssignmentContract
import CheckKit
import Crypto
import TurnstileRuntime

/// The hidden checks: the grader's reference end as the honest peer and as the attacker. Keys,
/// payloads and the points where they tamper come from fixed seeds, so a regrade is the same.
final class HiddenSecureChannelChecks: SecureChannelChecks {
    static let hiddenChainingKey = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
    static let hiddenHash = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 11) }

    /// A student session and the reference end facing it.
    func pair(studentIsInitiator: Bool, signing: Bool = false, hash: [UInt8] = hiddenHash) -> (any SessionUnderTest, ReferenceEnd) {
        let studentKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x51, count: 32))
        let referenceKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x52, count: 32))
        let student = Submission.makeSession(
            role: studentIsInitiator ? .initiator : .responder, chainingKey: Self.hiddenChainingKey, handshakeHash: hash,
            signingKey: signing ? Array(studentKey.rawRepresentation) : nil, peerSigningKey: signing ? Array(referenceKey.publicKey.rawRepresentation) : nil)
        let reference = ReferenceEnd(initiator: !studentIsInitiator, chainingKey: Self.hiddenChainingKey, handshakeHash: hash, signer: signing ? referenceKey : nil)
        return (student, reference)
    }

    static let studentVerifyingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x51, count: 32)).publicKey

    /// Fails unless the reference end opens `record` to `expected`.
    func expectReferenceOpens(_ reference: ReferenceEnd, _ record: [UInt8]?, _ expected: ReferenceEnd.Opened, _ what: String) {
        guard let record else { return CheckFail("\(what): your session refused to seal it") }
        let got = reference.open(record)
        guard got != expected else { return }
        if case .refused(let why) = got {
            CheckFail("\(what): the reference end refused your record: \(why)")
        } else {
            CheckFail("\(what): the reference end opened your record to something else than was sealed")
        }
    }

    /// 200 random payloads each way with rekeys at drawn points, both roles.
    func interopRandom() {
        for studentIsInitiator in [true, false] {
            let (student, reference) = pair(studentIsInitiator: studentIsInitiator)
            let role = studentIsInitiator ? "your initiator" : "your responder"
            var random = CheckRandom(seed: studentIsInitiator ? 0x1A : 0x1B)
            for index in 0..<200 {
                let size = random.upTo(9) == 0 ? random.upTo(65_000) : random.upTo(200)
                let payload = random.bytes(size)
                if random.upTo(15) == 0 {
                    expectReferenceOpens(reference, student.sealRekey(), .rekey, "\(role)'s rekey before message \(index)")
                    expectOpens(student, reference.sealRekey(), .rekey, "the reference's rekey before message \(index) to \(role)")
                }
                expectReferenceOpens(reference, student.seal(payload), .data(payload), "\(role)'s message \(index) (\(size) bytes)")
                expectOpens(student, reference.seal(payload), .data(payload), "the reference's message \(index) (\(size) bytes) to \(role)")
            }
            expectReferenceOpens(reference, student.sealEnd(), .end(signature: []), "\(role)'s end record")
            expectOpens(student, reference.sealEnd(), .end, "the reference's end record to \(role)")
            CheckAssert(student.close(), "\(role): the stream ended with its end record, yet close() refused")
        }
    }

    /// Every byte of a data, a rekey and an end record flipped (and the record cut and extended):
    /// each refused.
    func tamperEveryByte() {
        let prefixLength = 3
        for kind in ["data", "rekey", "end"] {
            let probe = ReferenceEnd(initiator: true, chainingKey: Self.hiddenChainingKey, handshakeHash: Self.hiddenHash)
            let prefix = (0..<prefixLength).map { probe.seal([UInt8](repeating: UInt8($0), count: 5)) }
            let genuine = kind == "data" ? probe.seal(Array("attack at dawn".utf8)) : kind == "rekey" ? probe.sealRekey() : probe.sealEnd()
            var variants: [([UInt8], String)] = []
            for index in genuine.indices {
                for mask: UInt8 in [0x01, 0x80] {
                    var tampered = genuine
                    tampered[index] ^= mask
                    variants.append((tampered, "a \(kind) record with byte \(index) of \(genuine.count) xor 0x\(String(mask, radix: 16))"))
                }
            }
            variants.append((Array(genuine.dropLast()), "a \(kind) record cut by one byte"))
            variants.append((genuine + [0], "a \(kind) record with a byte appended"))
            variants.append(([], "an empty record in place of a \(kind) record"))
            for (tampered, attack) in variants {
                let (student, _) = pair(studentIsInitiator: false)
                for (index, record) in prefix.enumerated() {
                    expectOpens(student, record, .data([UInt8](repeating: UInt8(index), count: 5)), "genuine message \(index) before the attack")
                }
                expectRefused(student, tampered, attack: attack)
            }
        }
    }

    /// Records replayed, swapped, dropped, reflected, or under the other direction's key.
    func replayReorderDrop() {
        func stream() -> [[UInt8]] {
            let reference = ReferenceEnd(initiator: true, chainingKey: Self.hiddenChainingKey, handshakeHash: Self.hiddenHash)
            return (0..<8).map { reference.seal([UInt8]("message \($0)".utf8)) }
        }
        let records = stream()
        let attacks: [([Int], String)] = [
            ([0, 1, 2, 3, 4, 5, 3], "record 3 replayed after record 5"),
            ([0, 1, 2, 2], "record 2 replayed at once"),
            ([0, 1, 3], "record 2 dropped: record 3 after record 1"),
            ([0, 2], "record 1 dropped"),
            ([1], "record 1 first (record 0 dropped)"),
            ([0, 1, 2, 4], "records 3 and 4 swapped (record 4 arrives first)"),
        ]
        for (order, attack) in attacks {
            let (student, _) = pair(studentIsInitiator: false)
            for index in order.dropLast() {
                expectOpens(student, records[index], .data([UInt8]("message \(index)".utf8)), "\(attack): genuine record \(index) before it")
            }
            expectRefused(student, records[order.last!], attack: attack)
        }
        // Reflection: a session's own record handed back to it.
        let (student, _) = pair(studentIsInitiator: true)
        guard let own = sealed(student, "message 0", { $0.seal(Array("reflect me".utf8)) }) else { return }
        expectRefused(student, own, attack: "reflection: your initiator's own record 0 handed back to it (each direction needs its own key)")
        // A record of the initiator's direction sent to the initiator by a peer that knows both keys.
        let (initiator, reference) = pair(studentIsInitiator: true)
        let wrongDirection = ReferenceEnd.craft(counter: 0, type: 0, body: [7], key: reference.receiveKey)
        expectRefused(initiator, wrongDirection, attack: "a record sealed under the initiator-to-responder key, sent to the initiator")
        // A record of another session (another chaining key).
        let other = ReferenceEnd(initiator: false, chainingKey: [UInt8](repeating: 0x77, count: 32), handshakeHash: Self.hiddenHash)
        let (initiator2, _) = pair(studentIsInitiator: true)
        expectRefused(initiator2, other.seal([1]), attack: "a record of another session (another chaining key)")
    }

    /// The end of a stream: missing, followed by more, malformed.
    func truncationAndAppend() {
        do {
            let (student, reference) = pair(studentIsInitiator: false)
            for index in 0..<10 { expectOpens(student, reference.seal([UInt8(index)]), .data([UInt8(index)]), "message \(index)") }
            CheckAssert(!student.close(), "truncation: the stream stopped after 10 records without its end record, and close() accepted it")
        }
        do {
            let (student, reference) = pair(studentIsInitiator: false)
            expectOpens(student, reference.seal([1]), .data([1]), "message 0")
            expectOpens(student, reference.sealEnd(), .end, "the end record")
            expectRefused(student, reference.seal([2]), attack: "a data record appended after the end record (counter 2, genuine key)")
            CheckAssert(!student.close(), "close() accepted the stream although a record after its end was refused (the channel failed)")
        }
        do {
            // Nothing is sent after this end's own end record.
            let (student, _) = pair(studentIsInitiator: true)
            _ = sealed(student, "the end record", { $0.sealEnd() })
            CheckAssert(student.seal([1]) == nil, "your session sealed a data record after its own end record")
            CheckAssert(student.sealRekey() == nil, "your session sealed a rekey record after its own end record")
            CheckAssert(student.sealEnd() == nil, "your session sealed a second end record")
        }
        do {
            let (student, reference) = pair(studentIsInitiator: false)
            expectOpens(student, reference.sealEnd(), .end, "an end record with no data before it")
            CheckAssert(student.close(), "an empty stream ended with its end record, yet close() refused")
        }
        let malformed: [(UInt8, [UInt8], String)] = [
            (7, [1, 2], "a record of type 7 (there is none)"),
            (1, [0], "a rekey record with a body"),
            (2, [0xAA], "an unsigned session's end record with a body"),
            (2, [UInt8](repeating: 0x5A, count: 64), "an unsigned session's end record with a 64-byte body"),
        ]
        for (type, body, attack) in malformed {
            let (student, reference) = pair(studentIsInitiator: false)
            expectOpens(student, reference.seal([1]), .data([1]), "message 0")
            expectRefused(student, ReferenceEnd.craft(counter: 1, type: type, body: body, key: reference.sendKey), attack: attack)
            // A genuine next record after the refusal, at either counter a session might expect
            // now: a failed channel stays failed, whatever failed it.
            for counter: UInt64 in [1, 2] {
                expectRefused(student, ReferenceEnd.craft(counter: counter, type: 0, body: [2], key: reference.sendKey), attack: "a genuine record (counter \(counter)) after \(attack) was refused")
            }
        }
        do {
            let (student, reference) = pair(studentIsInitiator: true)
            let largest = [UInt8](repeating: 0x33, count: 65_000)
            expectReferenceOpens(reference, student.seal(largest), .data(largest), "a payload of exactly 65,000 bytes (the maximum) from your session")
            expectOpens(student, reference.seal(largest), .data(largest), "a data record of exactly 65,000 bytes (the maximum)")
        }
        do {
            let (student, reference) = pair(studentIsInitiator: false)
            let oversize = ReferenceEnd.craft(counter: 0, type: 0, body: [UInt8](repeating: 1, count: 65_001), key: reference.sendKey)
            expectRefused(student, oversize, attack: "a data record of 65,001 bytes (over the maximum)")
            CheckAssert((student as any SessionUnderTest).seal([UInt8](repeating: 1, count: 65_001)) == nil, "your session sealed a payload of 65,001 bytes (the maximum is 65,000)")
        }
    }

    /// After one refusal, nothing is accepted: not the genuine record, not the ones after it,
    /// not the end of the stream.
    func stickyFailure() {
        let (student, reference) = pair(studentIsInitiator: false)
        expectOpens(student, reference.seal([0]), .data([0]), "message 0")
        let genuine = reference.seal([1])
        let later = reference.seal([2])
        let end = reference.sealEnd()
        var forged = genuine
        forged[9] ^= 0x40
        expectRefused(student, forged, attack: "message 1 tampered with")
        expectRefused(student, genuine, attack: "the genuine message 1 after the channel refused a forgery (an error swallowed: the channel went on)")
        expectRefused(student, later, attack: "message 2 after the channel failed")
        expectRefused(student, end, attack: "the end record after the channel failed")
        CheckAssert(!student.close(), "close() accepted a stream after the channel had failed")
    }

    /// The student's sender never reuses a nonce: each record is sealed at its own counter, and
    /// a rekey really changes the key.
    func nonceUnique() {
        let (student, reference) = pair(studentIsInitiator: true)
        var seen: Set<[UInt8]> = []
        let payload = Array("the same words every time".utf8)
        for index in 0..<64 {
            if index == 32 {
                guard let rekey = student.sealRekey() else { return CheckFail("your session refused to seal a rekey record") }
                let counter = Array(rekey.prefix(8))
                CheckAssert(counter == ReferenceEnd.littleEndian(UInt64(index)), "the rekey record after \(index) records carries counter \(ReferenceEnd.counterText(counter)), not \(index)")
                expectReferenceOpens(reference, rekey, .rekey, "the rekey record")
            }
            guard let record = student.seal(payload) else { return CheckFail("your session refused to seal message \(index)") }
            let counter = Array(record.prefix(8))
            let expected = UInt64(index + (index >= 32 ? 1 : 0))
            CheckAssert(counter == ReferenceEnd.littleEndian(expected), "message \(index) carries counter \(ReferenceEnd.counterText(counter)), not \(expected): a counter that does not advance reuses a nonce")
            CheckAssert(seen.insert(Array(record.dropFirst(8))).inserted, "message \(index) has the same ciphertext as an earlier one with the same payload: a nonce was reused")
            if index >= 32 {
                let stale = ReferenceEnd(initiator: false, chainingKey: Self.hiddenChainingKey, handshakeHash: Self.hiddenHash)
                stale.received = expected
                if case .data = stale.open(record) { CheckFail("message \(index), after the rekey, still opens under the old key: the rekey did not change the key") }
            }
            expectReferenceOpens(reference, record, .data(payload), "message \(index), opened with nonce \(expected)")
        }
    }

    /// Signed mode: each side's end record carries an Ed25519 signature over its direction's
    /// transcript, which binds the handshake hash: no signature carries over to another session,
    /// another message, or loses its signer.
    func signedTranscript() {
        let payloads: [[UInt8]] = [Array("pay 10 to alice".utf8), [], Array("and nothing more".utf8)]
        // The student signs; the reference verifies. Data flows both ways and both rekey: each
        // signature covers its own direction's data records only.
        do {
            let (student, reference) = pair(studentIsInitiator: true, signing: true)
            for (index, payload) in payloads.enumerated() {
                expectReferenceOpens(reference, student.seal(payload), .data(payload), "signed session, your message \(index)")
                expectOpens(student, reference.seal(payload.reversed()), .data(payload.reversed()), "signed session, the reference's message \(index)")
                if index == 1 {
                    expectReferenceOpens(reference, student.sealRekey(), .rekey, "signed session, your rekey")
                    expectOpens(student, reference.sealRekey(), .rekey, "signed session, the reference's rekey")
                }
            }
            expectOpens(student, reference.sealEnd(), .end, "the reference's signed end record (over its own direction's data)")
            guard let end = student.sealEnd() else { return CheckFail("your signed session refused to seal its end record") }
            guard case .end(let signature) = reference.open(end) else { return CheckFail("the reference end could not open your signed end record") }
            let digest = Array(SHA256.hash(data: reference.receivedTranscript))
            CheckAssert(
                Self.studentVerifyingKey.isValidSignature(signature, for: digest),
                "your end record's signature (\(signature.count) bytes) does not verify over SHA-256(h ‖ each payload you sent, with its length) with your signing key (the session also received data and both sides rekeyed; neither belongs in your transcript)")
        }
        // The reference signs; the student verifies, and refuses what does not verify.
        do {
            let (student, reference) = pair(studentIsInitiator: false, signing: true)
            for (index, payload) in payloads.enumerated() { expectOpens(student, reference.seal(payload), .data(payload), "signed session, message \(index)") }
            expectOpens(student, reference.sealEnd(), .end, "the reference's signed end record")
        }
        // Attacks on the signature.
        let other = ReferenceEnd(initiator: true, chainingKey: Self.hiddenChainingKey, handshakeHash: [UInt8](repeating: 0x99, count: 32),
            signer: try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x52, count: 32)))
        for payload in payloads { _ = other.seal(payload) }
        let otherSessionSignature = other.signature(over: other.sentTranscript)
        let attacks: [(String, (ReferenceEnd) -> [UInt8])] = [
            ("the signer's signature from another session (another handshake hash) over the same messages", { _ in otherSessionSignature }),
            ("a signature over different messages (the second payload changed)", { reference in
                var transcript = reference.sentTranscript
                transcript[transcript.count - 1] ^= 1
                return reference.signature(over: transcript)
            }),
            ("a signature with one bit flipped", { reference in
                var signature = reference.signature(over: reference.sentTranscript)
                signature[5] ^= 0x10
                return signature
            }),
            ("no signature at all in a signed session's end record", { _ in [] }),
            ("a valid signature followed by one more byte", { reference in reference.signature(over: reference.sentTranscript) + [0] }),
            ("a signature by another key", { reference in
                Array(try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x53, count: 32)).signature(for: Array(SHA256.hash(data: reference.sentTranscript))))
            }),
        ]
        for (attack, signature) in attacks {
            let (student, reference) = pair(studentIsInitiator: false, signing: true)
            for (index, payload) in payloads.enumerated() { expectOpens(student, reference.seal(payload), .data(payload), "signed session, message \(index)") }
            let forged = ReferenceEnd.craft(counter: reference.sent, type: 2, body: signature(reference), key: reference.sendKey)
            expectRefused(student, forged, attack: "an end record carrying \(attack)")
            let genuineSignature = reference.signature(over: reference.sentTranscript)
            for counter in [reference.sent, reference.sent + 1] {
                let genuine = ReferenceEnd.craft(counter: counter, type: 2, body: genuineSignature, key: reference.sendKey)
                expectRefused(student, genuine, attack: "the genuine end record (counter \(counter)) after one carrying \(attack) was refused")
            }
            CheckAssert(!student.close(), "close() accepted a signed stream whose end record was refused (\(attack))")
        }
    }

    /// Only a pinned static key is accepted.
    func peerPinning() {
        let pins = (0..<3).map { index in (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index &* 31) } }
        CheckAssert(Submission.verifyPeer(remoteStatic: pins[1], pinned: pins), "the second of three pinned keys was refused")
        CheckAssert(Submission.verifyPeer(remoteStatic: pins[0], pinned: [pins[0]]), "the only pinned key was refused")
        var close = pins[2]
        close[31] ^= 1
        let attacks: [([UInt8], [[UInt8]], String)] = [
            ([UInt8](repeating: 0xEE, count: 32), pins, "an attacker's static key (a man in the middle) among three pins"),
            (close, pins, "a key one bit from a pinned one"),
            (Array(pins[0].prefix(31)), pins, "the first 31 bytes of a pinned key"),
            (pins[0] + [0], pins, "a pinned key with a byte appended"),
            (pins[0], [], "any key when nothing is pinned"),
            ([], pins, "an empty key"),
        ]
        for (key, pinned, attack) in attacks {
            CheckAssert(!Submission.verifyPeer(remoteStatic: key, pinned: pinned), "\(attack) was accepted")
        }
        for position in 0..<32 {
            var near = pins[1]
            near[position] ^= 0x10
            CheckAssert(!Submission.verifyPeer(remoteStatic: near, pinned: pins), "a key that differs from a pinned one only in byte \(position) was accepted")
        }
    }

    override class var checks: [CheckDefinition] {
        let once = CheckMode.controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1))
        return [
            check(
                "interop-random", "200 random messages each way with the course's reference end, rekeys at drawn points, in both roles",
                explanation: "another implementation of the same wire format must open everything yours seals and the reverse.",
                points: 10, property: .wireFormat, .hidden, once, HiddenSecureChannelChecks.interopRandom),
            check(
                "tamper-every-byte", "every byte of a data, a rekey and an end record flipped, cut or extended",
                explanation: "the counter header, the ciphertext and the tag are all authenticated; no change to a record gets through.",
                points: 12, property: .tamperDetection, .hidden, once, HiddenSecureChannelChecks.tamperEveryByte),
            check(
                "replay-reorder-drop", "records replayed, swapped, dropped, reflected, or of another direction or session",
                explanation: "only the next record of this direction of this session opens.",
                points: 10, property: .replayDetection, .hidden, once, HiddenSecureChannelChecks.replayReorderDrop),
            check(
                "truncation-and-append", "a stream without its end, a record after the end, malformed types and bodies",
                explanation: "close() tells a stream that ended from one that was cut; nothing follows an end record.",
                points: 8, property: .truncationDetection, .hidden, once, HiddenSecureChannelChecks.truncationAndAppend),
            check(
                "sticky-failure", "after one refused record, the genuine ones are refused too",
                explanation: "an error swallowed and the stream continued lets an attacker probe the channel.",
                points: 6, property: .stickyFailure, .hidden, once, HiddenSecureChannelChecks.stickyFailure),
            check(
                "nonce-unique", "64 equal payloads sealed, with a rekey: each at its own counter, the rekey a new key",
                explanation: "a nonce used twice with one key gives away the XOR of two plaintexts and lets an attacker forge.",
                points: 8, property: .nonceUniqueness, .hidden, once, HiddenSecureChannelChecks.nonceUnique),
            check(
                "signed-transcript", "signed end records: yours verifies, and signatures from another session, over other messages or by another key do not",
                explanation: "a signature over the payloads alone could be replayed into another session; it must cover the handshake hash.",
                points: 10, property: .nonRepudiation, .hidden, once, HiddenSecureChannelChecks.signedTranscript),
            check(
                "peer-pinning", "only a pinned static key is accepted",
                explanation: "without pinning, a man in the middle with a static key of their own completes the handshake.",
                points: 6, property: .peerAuthentication, .hidden, once, HiddenSecureChannelChecks.peerPinning),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] {
        // The graded known-answer check also asks for a record under keys students never saw,
        // so printing the README's example records without a record layer earns nothing.
        SecureChannelChecks.gradedReference = { chainingKey, hash, payload in
            ReferenceEnd(initiator: true, chainingKey: chainingKey, handshakeHash: hash).seal(payload)
        }
        return HiddenSecureChannelChecks.checks
    }
}
