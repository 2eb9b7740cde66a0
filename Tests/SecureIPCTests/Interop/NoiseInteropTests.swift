import Crypto
import Foundation
import Testing

@testable import SecureIPC

/// Interoperation with an independent Noise implementation: the Python package
/// `noiseprotocol` 0.3.1, run as a subprocess speaking 2-byte length-framed messages on its
/// standard input and output.
@Suite(.serialized)
struct NoiseInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("noise_peer.py").path

    /// Fails (does not skip) with an instruction when the peer cannot run.
    /// `TURNSTILE_PYTHON` overrides the interpreter; otherwise the first `python3` on `PATH`.
    static func requirePython() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["TURNSTILE_PYTHON"]].compactMap { $0 }
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
            + ["/usr/local/bin/python3", "/usr/bin/python3"]
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("python3 not found; install Python 3 and run `pip install noiseprotocol==0.3.1`")
            return nil
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import noise.connection"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            Issue.record("Python package `noise` is missing: run `pip install noiseprotocol==0.3.1` (with \(python))")
            return nil
        }
        return python
    }

    @Test(arguments: [NoiseRole.initiator, .responder])
    func handshakeAndTransportBothWays(turnstileRole: NoiseRole) throws {
        guard let python = try Self.requirePython() else { return }
        let peerKey = Fixtures.key()
        let prologue = Array("turnstile interop".utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Self.script, turnstileRole == .initiator ? "responder" : "initiator",
            Hex.encode(peerKey.rawRepresentation), Hex.encode(prologue),
        ]
        let toPeer = Pipe()
        let fromPeer = Pipe()
        let peerErrors = Pipe()
        process.standardInput = toPeer
        process.standardOutput = fromPeer
        process.standardError = peerErrors
        try process.run()
        defer {
            // SIGKILL: the peer may inherit an ignored SIGTERM from the test runner.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let transport = FramedStreamTransport(
            readDescriptor: fromPeer.fileHandleForReading.fileDescriptor,
            writeDescriptor: toPeer.fileHandleForWriting.fileDescriptor, ownsDescriptors: false)
        let configuration = SecureChannelConfiguration(
            staticKey: Fixtures.key(), peerTrust: .pinned(peerKey.publicKey), prologue: prologue)

        let channel: SecureChannel
        do {
            channel = turnstileRole == .initiator
                ? try SecureChannel.initiate(over: transport, configuration: configuration)
                : try SecureChannel.accept(over: transport, configuration: configuration)
        } catch {
            try? toPeer.fileHandleForWriting.close()
            let stderr = String(decoding: peerErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Issue.record("handshake with noiseprotocol failed: \(error); peer said: \(stderr)")
            return
        }
        #expect(channel.remoteStaticKey == Fixtures.publicBytes(peerKey))

        // The peer's first record is its own handshake hash: both implementations agree on h.
        let hashRecord = try #require(try channel.receive())
        #expect(hashRecord == Array("hash:".utf8) + channel.handshakeHash)

        // Several records each way, with a rekey from each side in between.
        for index in 0..<5 {
            if index == 2 { try channel.rekey() }
            let message = Array("message \(index) from Turnstile".utf8)
            try channel.send(message)
            #expect(try channel.receive() == Array("echo:".utf8) + message)
        }
        let large = (0..<60_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try channel.send(large)
        #expect(try channel.receive() == Array("echo:".utf8) + large)

        try channel.finish()
        #expect(try channel.receive() == nil)
        process.waitUntilExit()
        let stderr = String(decoding: peerErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "peer failed: \(stderr)")
    }

    /// `RecordLayer.plain` (`turnstile channel --plain`): plain Noise transport messages, no
    /// type byte, the end of the connection ending the stream, against the same independent peer.
    @Test(arguments: [NoiseRole.initiator, .responder])
    func plainNoiseTransportMessagesBothWays(turnstileRole: NoiseRole) throws {
        guard let python = try Self.requirePython() else { return }
        let peerKey = Fixtures.key()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Self.script, turnstileRole == .initiator ? "responder" : "initiator", Hex.encode(peerKey.rawRepresentation), "", "plain",
        ]
        let toPeer = Pipe()
        let fromPeer = Pipe()
        process.standardInput = toPeer
        process.standardOutput = fromPeer
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let transport = FramedStreamTransport(
            readDescriptor: fromPeer.fileHandleForReading.fileDescriptor,
            writeDescriptor: toPeer.fileHandleForWriting.fileDescriptor, ownsDescriptors: false)
        let configuration = SecureChannelConfiguration(
            staticKey: Fixtures.key(), peerTrust: .pinned(peerKey.publicKey), recordLayer: .plain)
        let channel = turnstileRole == .initiator
            ? try SecureChannel.initiate(over: transport, configuration: configuration)
            : try SecureChannel.accept(over: transport, configuration: configuration)
        #expect(try channel.receive() == Array("hash:".utf8) + channel.handshakeHash)
        for index in 0..<4 {
            let message = Array("plain \(index)".utf8)
            try channel.send(message)
            #expect(try channel.receive() == Array("echo:".utf8) + message, "the peer read the message with no type byte")
        }
        #expect(throws: SecureChannelError.rekeyNeedsTypedRecords) { try channel.rekey() }
        // No end-of-stream record: closing our side ends the peer, whose end ends our stream.
        try channel.finish()
        try? toPeer.fileHandleForWriting.close()
        #expect(try channel.receive() == nil)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
