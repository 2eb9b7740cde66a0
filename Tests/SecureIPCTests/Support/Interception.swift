import Foundation
import Testing

@testable import SecureIPC

/// Runs a throwing closure on its own thread; `wait()` joins it.
// Safe to share: `result` is written once under `lock`, and read after `done` is signalled.
final class Background<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            let outcome = Result { try body() }
            lock.withLock { result = outcome }
            done.signal()
        }
        thread.start()
    }

    func wait() -> Result<T, any Error> {
        done.wait()
        done.signal()
        return lock.withLock { result! }
    }
}

/// Alice and Bob with Mallory in the middle: every message goes through the test, which decides
/// what to deliver. Alice initiates; both pin each other's static key.
struct Interception {
    let alice: SecureChannel
    let bob: SecureChannel
    /// Mallory's end facing Alice.
    let nearAlice: InMemoryTransport
    /// Mallory's end facing Bob.
    let nearBob: InMemoryTransport

    init(bobMaximumPayload: Int = SecureChannel.maximumPayloadSize) throws {
        let (aliceEnd, nearAlice) = InMemoryTransport.makePair(timeout: 5)
        let (nearBob, bobEnd) = InMemoryTransport.makePair(timeout: 5)
        let (aliceKey, bobKey) = (Fixtures.key(), Fixtures.key())
        let aliceConfig = SecureChannelConfiguration(staticKey: aliceKey, peerTrust: .pinned(bobKey.publicKey))
        let bobConfig = SecureChannelConfiguration(
            staticKey: bobKey, peerTrust: .pinned(aliceKey.publicKey), maximumPayloadSize: bobMaximumPayload)
        let aliceRun = Background { try SecureChannel.initiate(over: aliceEnd, configuration: aliceConfig) }
        let bobRun = Background { try SecureChannel.accept(over: bobEnd, configuration: bobConfig) }
        try nearBob.send(try #require(try nearAlice.receive()))
        try nearAlice.send(try #require(try nearBob.receive()))
        try nearBob.send(try #require(try nearAlice.receive()))
        alice = try aliceRun.wait().get()
        bob = try bobRun.wait().get()
        self.nearAlice = nearAlice
        self.nearBob = nearBob
    }

    /// Takes the next wire message Alice sent.
    func fromAlice() throws -> [UInt8] { try #require(try nearAlice.receive()) }
    /// Takes the next wire message Bob sent.
    func fromBob() throws -> [UInt8] { try #require(try nearBob.receive()) }
    func toBob(_ message: [UInt8]) throws { try nearBob.send(message) }
    func toAlice(_ message: [UInt8]) throws { try nearAlice.send(message) }
}

/// Asserts that `body` throws exactly `expected`.
func expectRejected(
    _ expected: SecureChannelError, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(expected), but the operation succeeded", sourceLocation: sourceLocation)
    } catch let error as SecureChannelError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got untyped \(error)", sourceLocation: sourceLocation)
    }
}
