import ArgumentParser
import Crypto
import Foundation
import SecureIPC

extension Turnstile {
    /// `turnstile channel keygen|listen|connect`.
    struct Channel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Talk over a Noise_XX_25519_ChaChaPoly_SHA256 secure channel.",
            discussion: """
                Wire format: each Noise message (handshake and transport) travels on the stream after a 2-byte big-endian length. \
                By default each transport message's plaintext starts with a record-type byte: 0x00 data (the line's bytes follow), \
                0x01 end of stream (sent at the end of input; a connection that ends without it is reported as truncated), \
                0x02 rekey (the sender rekeyed its sending key right after it). A Noise peer speaks this by prefixing 0x00 to data \
                and handling 0x01 and 0x02. With --plain, transport messages carry the line's bytes only, as any Noise \
                implementation sends them: no type byte, no end-of-stream record (the end of the connection ends the stream, so \
                truncation cannot be detected), no rekey. The handshake hash is printed on standard error; compare it on both sides.
                """,
            subcommands: [Keygen.self, Listen.self, Connect.self])

        struct Keygen: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Write a new static private key (64 hex characters, mode 0600) and print its public key.")
            @Argument(help: "Where to write the private key.") var keyFile: String
            @Flag(help: "Replace an existing key file.") var overwrite = false

            func run() throws {
                let key = try ChannelKeyFile.generate(at: keyFile, overwrite: overwrite)
                print(Hex.encode(Array(key.publicKey.rawRepresentation)))
            }
        }

        /// Options shared by listen and connect.
        struct EndpointOptions: ParsableArguments {
            @Option(help: "This side's private key file (from `turnstile channel keygen`).") var key: String
            @Option(help: "The peer's public key, 64 hex characters: the only peer accepted.") var peer: String
            @Option(help: "A Unix socket path; without it, Noise frames go over standard input and output.") var socket: String?
            @Option(help: "Prologue bytes as hex (both sides must agree; default empty).") var prologue: String = ""
            @Flag(help: "Plain Noise transport messages: no record-type byte, no end-of-stream record, no rekey (for a peer that speaks Noise only).")
            var plain = false

            func configuration() throws -> SecureChannelConfiguration {
                let staticKey = try ChannelKeyFile.read(from: key)
                let peerKey = try ChannelKeyFile.parsePublicKey(peer)
                guard let prologueBytes = Hex.decode(prologue) else { throw ValidationError("--prologue must be hex") }
                return SecureChannelConfiguration(
                    staticKey: staticKey, peerTrust: .pinned(peerKey), prologue: prologueBytes, recordLayer: plain ? .plain : .typed)
            }

            var medium: ChannelEndpoint.Medium { socket.map { .unixSocket(path: $0) } ?? .standardIO }

            /// With frames on stdio, lines come from the terminal instead.
            func lineHandles() throws -> (FileHandle, FileHandle) {
                guard socket == nil else { return (.standardInput, .standardOutput) }
                guard let tty = FileHandle(forUpdatingAtPath: "/dev/tty") else {
                    throw ValidationError("with frames on standard input and output, lines are read from and written to /dev/tty, and there is none; use --socket")
                }
                return (tty, tty)
            }

            func relay(_ channel: SecureChannel) throws {
                printError("handshake hash \(ChannelEndpoint.fingerprint(of: channel))")
                let (input, output) = try lineHandles()
                try ChannelEndpoint.relay(channel, input: input, output: output)
            }
        }

        struct Listen: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Wait for one peer (responder), then relay lines both ways.")
            @OptionGroup var endpoint: EndpointOptions

            func run() throws {
                try endpoint.relay(try ChannelEndpoint.listen(on: endpoint.medium, configuration: try endpoint.configuration()))
            }
        }

        struct Connect: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Connect to a listening peer (initiator), then relay lines both ways.")
            @OptionGroup var endpoint: EndpointOptions

            func run() throws {
                try endpoint.relay(try ChannelEndpoint.connect(to: endpoint.medium, configuration: try endpoint.configuration()))
            }
        }
    }
}
