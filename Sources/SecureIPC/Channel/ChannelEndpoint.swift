import Foundation

/// The operations behind `turnstile channel listen|connect`: establish a ``SecureChannel`` over
/// a Unix stream socket or over stdin/stdout (2-byte big-endian length framing), then relay.
public enum ChannelEndpoint {
    /// Where a channel runs.
    public enum Medium: Sendable {
        /// A Unix-domain stream socket at this path.
        case unixSocket(path: String)
        /// This process's stdin (incoming frames) and stdout (outgoing frames).
        case standardIO
    }

    /// Waits for one peer and runs the handshake as responder. Blocks.
    /// - Returns: the channel; its ``SecureChannel/handshakeHash`` is what to print.
    /// - Throws: ``TransportError`` or ``SecureChannelError``.
    public static func listen(on medium: Medium, configuration: SecureChannelConfiguration) throws -> SecureChannel {
        switch medium {
        case .unixSocket(let path):
            let listener = try UnixSocket.listen(path: path)
            let transport = try listener.accept()
            return try SecureChannel.accept(over: transport, configuration: configuration)
        case .standardIO:
            return try SecureChannel.accept(over: FramedStreamTransport.standardIO(), configuration: configuration)
        }
    }

    /// Connects and runs the handshake as initiator. Blocks.
    /// - Throws: ``TransportError`` or ``SecureChannelError``.
    public static func connect(to medium: Medium, configuration: SecureChannelConfiguration) throws -> SecureChannel {
        switch medium {
        case .unixSocket(let path):
            return try SecureChannel.initiate(over: UnixSocket.connect(path: path), configuration: configuration)
        case .standardIO:
            return try SecureChannel.initiate(over: FramedStreamTransport.standardIO(), configuration: configuration)
        }
    }

    /// The handshake hash as a CLI prints it: lowercase hex.
    public static func fingerprint(of channel: SecureChannel) -> String { Hex.encode(channel.handshakeHash) }

    /// Relays in both directions until both ends finish: lines read from `input` are sent as
    /// records (and end-of-stream at EOF); records received are written to `output` followed by
    /// a newline. Blocks; uses one extra thread for the sending side. With ``Medium/standardIO``
    /// the frames use stdin and stdout, so pass other handles here (a terminal, files).
    /// - Throws: the first ``SecureChannelError`` from either direction.
    public static func relay(_ channel: SecureChannel, input: FileHandle, output: FileHandle) throws {
        let sender = SenderOutcome()
        let thread = Thread {
            do {
                while let line = readLine(from: input) { try channel.send(Array(line.utf8)) }
                try channel.finish()
            } catch {
                sender.record(error)
            }
            sender.done.signal()
        }
        thread.start()
        // A receive error returns at once: the sending thread may be blocked reading `input`.
        while let payload = try channel.receive() { output.write(Data(payload + [0x0A])) }
        sender.done.wait()
        if let error = sender.error { throw error }
    }

    private static func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}

/// The sending thread's outcome.
// Safe to share: `stored` is guarded by `lock`; `done` is a semaphore.
private final class SenderOutcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stored: (any Error)?
    func record(_ error: any Error) { lock.withLock { stored = error } }
    var error: (any Error)? { lock.withLock { stored } }
}
