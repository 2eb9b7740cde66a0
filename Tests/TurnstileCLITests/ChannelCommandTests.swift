import ArgumentParser
import Foundation
import SecureIPC
import Testing
@testable import TurnstileCLI

/// `turnstile channel listen|connect`: `--plain` selects plain Noise transport messages, and the
/// help states the record layer as a wire format.
struct ChannelCommandTests {
    @Test func plainSelectsThePlainRecordLayerAndTheDefaultIsTyped() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("channel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("key").path
        let key = try ChannelKeyFile.generate(at: keyFile, overwrite: false)
        let peer = Hex.encode(Array(key.publicKey.rawRepresentation))
        for (flags, expected) in [([String](), RecordLayer.typed), (["--plain"], .plain)] {
            let parsed = try Turnstile.parseAsRoot(["channel", "connect", "--key", keyFile, "--peer", peer, "--socket", "/tmp/x"] + flags)
            let connect = try #require(parsed as? Turnstile.Channel.Connect)
            #expect(try connect.endpoint.configuration().recordLayer == expected)
        }
    }

    @Test func theHelpDocumentsTheRecordLayerAsAWireFormat() {
        let help = Turnstile.Channel.helpMessage(columns: 10_000)
        for phrase in ["2-byte big-endian length", "0x00 data", "0x01 end of stream", "0x02 rekey", "--plain"] {
            #expect(help.contains(phrase), "\(phrase)")
        }
    }
}
