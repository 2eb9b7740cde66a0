import Crypto
import Foundation
import SecureIPC

/// Suite `secure`: SecureChannel record throughput against raw ChaChaPoly seal+open of the same
/// payloads, the XX handshake against the cost of just its DH and hash operations, and the
/// timing side channel of an early-exit comparison.
func secureSuite(_ reporter: Reporter) {
    let options = reporter.options
    reporter.header("secure", metric: "MiB/s (records), ns (handshake), ns (compare)")

    for size in [1024, 16 * 1024] {
        let (alice, bob) = makeChannelPair()
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let key = SymmetricKey(size: .bits256)
        let nonce = ChaChaPoly.Nonce()
        let iterations = options.quick ? 2_000 : 10_000
        var sink = 0
        let result = interleavedMedians(repetitions: options.repetitions) {
            let nanoseconds = nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations {
                    try! alice.send(payload)
                    sink &+= try! bob.receive()!.count
                }
            }
            return Double(size) / nanoseconds * 1e9 / 1_048_576
        } baseline: {
            let nanoseconds = nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations {
                    let box = try! ChaChaPoly.seal(payload, using: key, nonce: nonce)
                    sink &+= try! ChaChaPoly.open(box, using: key).count
                }
            }
            return Double(size) / nanoseconds * 1e9 / 1_048_576
        }
        precondition(sink > 0)
        reporter.report(Measurement(
            suite: "secure", caseName: "channel.record.\(size / 1024)KiB", metric: "MiB_per_s",
            value: result.ours, baseline: "ChaChaPoly seal+open", baselineValue: result.baseline,
            better: "higher", goal: size == 16 * 1024 ? 0.85 : nil))
    }

    let handshakes = options.quick ? 100 : 400
    let handshake = interleavedMedians(repetitions: options.repetitions) {
        nanosecondsPerOperation(iterations: handshakes) {
            for _ in 0..<handshakes { runHandshake() }
        }
    } baseline: {
        nanosecondsPerOperation(iterations: handshakes) {
            for _ in 0..<handshakes { handshakePrimitiveCost() }
        }
    }
    reporter.report(Measurement(
        suite: "secure", caseName: "handshake.xx.both-sides", metric: "ns_per_op", value: handshake.ours,
        baseline: "2 keygen + 6 X25519 + 16 SHA-256 + 8 HKDF", baselineValue: handshake.baseline, better: "lower"))

    // Side channel: time to reject a guess wrong only in its last byte over one wrong in its
    // first byte. The early-exit ratio grows with the length; the constant-time one stays ~1.
    let secret = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    var lateMiss = secret
    lateMiss[4095] ^= 1
    var earlyMiss = secret
    earlyMiss[0] ^= 1
    let comparisons = options.quick ? 2_000 : 10_000
    for (name, compare) in [
        ("compare.early-exit.4KiB", ComparisonSideChannel.earlyExitEquals),
        ("compare.constant-time.4KiB", ComparisonSideChannel.constantTimeEquals),
    ] as [(String, ([UInt8], [UInt8], inout Int) -> Bool)] {
        var work = 0
        let timing = interleavedMedians(repetitions: options.repetitions) {
            nanosecondsPerOperation(iterations: comparisons) {
                for _ in 0..<comparisons { _ = compare(secret, lateMiss, &work) }
            }
        } baseline: {
            nanosecondsPerOperation(iterations: comparisons) {
                for _ in 0..<comparisons { _ = compare(secret, earlyMiss, &work) }
            }
        }
        precondition(work > 0)
        reporter.report(Measurement(
            suite: "secure", caseName: name, metric: "ns_per_op", value: timing.ours,
            baseline: "same compare, first byte wrong", baselineValue: timing.baseline, better: "lower",
            extra: ["demonstration": "timing side channel: ratio >> 1 leaks the matching prefix"]))
    }
}

private func makeChannelPair() -> (SecureChannel, SecureChannel) {
    let (a, b) = InMemoryTransport.makePair()
    let (keyA, keyB) = (Curve25519.KeyAgreement.PrivateKey(), Curve25519.KeyAgreement.PrivateKey())
    let responder = ChannelBox()
    let done = DispatchSemaphore(value: 0)
    Thread {
        responder.channel = try! SecureChannel.accept(
            over: b, configuration: SecureChannelConfiguration(staticKey: keyB, peerTrust: .pinned(keyA.publicKey)))
        done.signal()
    }.start()
    let initiator = try! SecureChannel.initiate(
        over: a, configuration: SecureChannelConfiguration(staticKey: keyA, peerTrust: .pinned(keyB.publicKey)))
    done.wait()
    return (initiator, responder.channel!)
}

// Safe to share: written once by the handshake thread before `done` is signalled, read after.
private final class ChannelBox: @unchecked Sendable { var channel: SecureChannel? }

private let benchInitiatorKey = Curve25519.KeyAgreement.PrivateKey()
private let benchResponderKey = Curve25519.KeyAgreement.PrivateKey()

private func runHandshake() {
    var initiator = NoiseHandshake(role: .initiator, staticKey: benchInitiatorKey)
    var responder = NoiseHandshake(role: .responder, staticKey: benchResponderKey)
    _ = try! responder.readMessage(initiator.writeMessage())
    _ = try! initiator.readMessage(responder.writeMessage())
    _ = try! responder.readMessage(initiator.writeMessage())
    _ = try! initiator.split()
    _ = try! responder.split()
}

/// What the two sides' handshakes must compute at minimum: one ephemeral key pair each, three
/// DH each (ee, es, se), eight MixHash each, and four HKDF each (three MixKey and Split).
private func handshakePrimitiveCost() {
    var hashInput = [UInt8](repeating: 1, count: 32 + 48)
    for _ in 0..<2 {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let peer = Curve25519.KeyAgreement.PrivateKey().publicKey
        _ = ephemeral.publicKey.rawRepresentation
        for _ in 0..<3 { _ = try! ephemeral.sharedSecretFromKeyAgreement(with: peer) }
        for _ in 0..<8 {
            var hasher = SHA256()
            hasher.update(data: hashInput)
            hashInput.replaceSubrange(0..<32, with: Array(hasher.finalize()))
        }
        for _ in 0..<4 {
            let output = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: hashInput.prefix(32)), salt: hashInput.suffix(32),
                info: [UInt8](), outputByteCount: 64)
            output.withUnsafeBytes { hashInput[0] ^= $0[0] }
        }
    }
}
