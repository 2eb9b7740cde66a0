import Crypto
import Foundation
import Testing

@testable import SecureIPC

/// Keys and helpers shared by the channel tests.
enum Fixtures {
    static func key() -> Curve25519.KeyAgreement.PrivateKey { Curve25519.KeyAgreement.PrivateKey() }

    static func publicBytes(_ key: Curve25519.KeyAgreement.PrivateKey) -> [UInt8] {
        Array(key.publicKey.rawRepresentation)
    }

    /// Runs the initiator on a new thread and the responder on the calling thread; returns both
    /// outcomes (errors are returned, not thrown, so a test can assert on each side).
    static func establish(
        initiator: SecureChannelConfiguration, responder: SecureChannelConfiguration,
        initiatorTransport: any MessageTransport, responderTransport: any MessageTransport
    ) -> (initiator: Result<SecureChannel, any Error>, responder: Result<SecureChannel, any Error>) {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(Result { try SecureChannel.initiate(over: initiatorTransport, configuration: initiator) })
            done.signal()
        }
        thread.start()
        let responderResult = Result { try SecureChannel.accept(over: responderTransport, configuration: responder) }
        done.wait()
        return (box.get()!, responderResult)
    }

    /// A connected pair of channels with pinned keys on both sides.
    static func channelPair(
        rekeyInterval: UInt64? = nil, maximumPayloadSize: Int = SecureChannel.maximumPayloadSize
    ) throws -> (initiator: SecureChannel, responder: SecureChannel) {
        let (a, b) = InMemoryTransport.makePair()
        let (keyA, keyB) = (key(), key())
        let outcome = establish(
            initiator: SecureChannelConfiguration(
                staticKey: keyA, peerTrust: .pinned(keyB.publicKey), maximumPayloadSize: maximumPayloadSize,
                rekeyInterval: rekeyInterval),
            responder: SecureChannelConfiguration(
                staticKey: keyB, peerTrust: .pinned(keyA.publicKey), maximumPayloadSize: maximumPayloadSize,
                rekeyInterval: rekeyInterval),
            initiatorTransport: a, responderTransport: b)
        return (try outcome.initiator.get(), try outcome.responder.get())
    }
}

/// A lock-guarded slot to pass a result out of a thread.
// Safe to share: the single field is only touched under `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<SecureChannel, any Error>?
    func set(_ result: Result<SecureChannel, any Error>) { lock.withLock { value = result } }
    func get() -> Result<SecureChannel, any Error>? { lock.withLock { value } }
}

/// Finds files relative to the package root, from this source file's path.
enum PackagePaths {
    static func root(_ filePath: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: filePath).deletingLastPathComponent()
    }
}
