import Crypto
import Foundation
import Testing

@testable import SecureIPC

@Suite(.serialized)
struct ChannelEndpointTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-secure-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func keyFilesRoundTripAsHexWithPrivateMode() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("alice.key").path
        let key = try ChannelKeyFile.generate(at: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        #expect(try ChannelKeyFile.read(from: path).rawRepresentation == key.rawRepresentation)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: ChannelKeyFileError.exists(path: path)) { try ChannelKeyFile.generate(at: path) }
        try ChannelKeyFile.generate(at: path, overwrite: true)
        #expect(try ChannelKeyFile.read(from: path).rawRepresentation != key.rawRepresentation)
        try "abc".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ChannelKeyFileError.malformed(path: path)) { try ChannelKeyFile.read(from: path) }
        #expect(try ChannelKeyFile.parsePublicKey(Hex.encode(key.publicKey.rawRepresentation)).rawRepresentation == key.publicKey.rawRepresentation)
    }

    /// listen/connect over a real Unix socket with 2-byte framing, both sides print the same hash.
    @Test func listenAndConnectOverAUnixSocket() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("channel.sock").path
        let (serverKey, clientKey) = (Fixtures.key(), Fixtures.key())
        let listener = try UnixSocket.listen(path: path)
        let server = Background {
            let channel = try SecureChannel.accept(
                over: listener.accept(), configuration: SecureChannelConfiguration(staticKey: serverKey, peerTrust: .pinned(clientKey.publicKey)))
            while let message = try channel.receive() { try channel.send(message.reversed()) }
            try channel.finish()
            return ChannelEndpoint.fingerprint(of: channel)
        }
        let client = try ChannelEndpoint.connect(
            to: .unixSocket(path: path), configuration: SecureChannelConfiguration(staticKey: clientKey, peerTrust: .pinned(serverKey.publicKey)))
        for size in [0, 1, 1000, SecureChannel.maximumPayloadSize] {
            let message = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
            try client.send(message)
            #expect(try client.receive() == message.reversed())
        }
        try client.finish()
        #expect(try client.receive() == nil)
        #expect(try server.wait().get() == ChannelEndpoint.fingerprint(of: client))
        #expect(ChannelEndpoint.fingerprint(of: client).count == 64)
    }

    @Test func framedTransportDetectsATruncatedFrame() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let reader = FramedStreamTransport(readDescriptor: descriptors[0], writeDescriptor: descriptors[0], ownsDescriptors: true)
        let partial: [UInt8] = [0x00, 0x05, 1, 2]
        _ = partial.withUnsafeBytes { write(descriptors[1], $0.baseAddress, $0.count) }
        close(descriptors[1])
        #expect(throws: TransportError.truncatedFrame) { try reader.receive() }
        #expect(throws: TransportError.messageTooLarge(size: 70_000)) { try reader.send([UInt8](repeating: 0, count: 70_000)) }
    }

    @Test func transportEndingMidHandshakeIsTruncation() throws {
        let (a, b) = InMemoryTransport.makePair(timeout: 5)
        b.close()
        #expect(throws: SecureChannelError.truncated) {
            try SecureChannel.initiate(over: a, configuration: SecureChannelConfiguration(staticKey: Fixtures.key(), peerTrust: .anyPeer))
        }
    }

    @Test func relayCarriesLinesBothWays() throws {
        let (alice, bob) = try Fixtures.channelPair()
        let input = Pipe()
        let output = Pipe()
        input.fileHandleForWriting.write(Data("first line\nsecond\n".utf8))
        try input.fileHandleForWriting.close()
        let peer = Background {
            var lines: [String] = []
            while let payload = try bob.receive() { lines.append(String(decoding: payload, as: UTF8.self)) }
            try bob.send(Array("reply".utf8))
            try bob.finish()
            return lines
        }
        try ChannelEndpoint.relay(alice, input: input.fileHandleForReading, output: output.fileHandleForWriting)
        try output.fileHandleForWriting.close()
        #expect(try peer.wait().get() == ["first line", "second"])
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "reply\n")
    }
}
