import Crypto
import Foundation

/// An authenticated, encrypted, ordered message channel over any ``MessageTransport``: a
/// Noise_XX_25519_ChaChaPoly_SHA256 handshake, then Noise transport messages with 64-bit counter
/// nonces, each carrying one typed record (see the record layer in the module docs).
///
/// Guarantees on top of Noise: an explicit end-of-stream record, so truncation is detected;
/// sticky failure (after one bad record every later call throws
/// ``SecureChannelError/channelBroken(cause:)``); rekey; refusal to wrap the nonce counter; a
/// maximum payload size; and peer identity checked against a ``PeerTrust``.
///
/// Thread safety: one thread may ``send(_:)`` while another ``receive()``s; calls in the same
/// direction are serialized by a lock. The creating call blocks for the whole handshake.
public final class SecureChannel: @unchecked Sendable {
    // Safe to share: sending state is guarded by `sendLock`, receiving state by `receiveLock`, and
    // the sticky failure by `failureLock`; the transport is itself Sendable.
    /// Largest payload per record: 65535 − 16 (tag) − 1 (record type).
    public static let maximumPayloadSize = NoiseTransport.maximumMessageLength - 17

    /// This side's role in the handshake.
    public let role: NoiseRole
    /// The handshake hash: identical on both sides, unique per session; print it to compare
    /// out of band, or use it as a session id.
    public let handshakeHash: [UInt8]
    /// The peer's static X25519 public key, accepted by the configured ``PeerTrust``.
    public let remoteStaticKey: [UInt8]

    let transport: any MessageTransport
    private let configuration: SecureChannelConfiguration
    private let sendLock = NSLock()
    private let receiveLock = NSLock()
    private let failureLock = NSLock()
    private var sending: CipherState
    private var receiving: CipherState
    private var recordsSinceRekey: UInt64 = 0
    private var sendScratch: [UInt8] = []
    private var finished = false
    private var peerFinished = false
    private var failure: SecureChannelError?

    private init(handshake: NoiseHandshake, transport: any MessageTransport, configuration: SecureChannelConfiguration) throws {
        let keys = try handshake.split()
        role = handshake.role
        handshakeHash = keys.handshakeHash
        remoteStaticKey = keys.remoteStaticKey
        sending = keys.sending
        receiving = keys.receiving
        self.transport = transport
        self.configuration = configuration
    }

    deinit {
        // Extend to the full capacity so bytes of earlier, longer records are cleared too.
        sendScratch.append(contentsOf: repeatElement(0, count: sendScratch.capacity - sendScratch.count))
        sendScratch.withUnsafeMutableBytes { Zeroize.bytes($0) }
    }

    /// Runs the handshake as initiator and returns the established channel. Blocks until done.
    /// - Throws: ``SecureChannelError`` when the handshake fails or the peer is not trusted;
    ///   the transport is closed in that case.
    public static func initiate(over transport: any MessageTransport, configuration: SecureChannelConfiguration) throws -> SecureChannel {
        try establish(role: .initiator, over: transport, configuration: configuration)
    }

    /// Runs the handshake as responder and returns the established channel. Blocks until done.
    /// - Throws: ``SecureChannelError`` when the handshake fails or the peer is not trusted;
    ///   the transport is closed in that case.
    public static func accept(over transport: any MessageTransport, configuration: SecureChannelConfiguration) throws -> SecureChannel {
        try establish(role: .responder, over: transport, configuration: configuration)
    }

    private static func establish(role: NoiseRole, over transport: any MessageTransport, configuration: SecureChannelConfiguration) throws -> SecureChannel {
        var handshake = NoiseHandshake(role: role, staticKey: configuration.staticKey, prologue: configuration.prologue)
        do {
            while !handshake.isComplete {
                if handshake.isMyTurnToWrite {
                    try transport.send(handshake.writeMessage())
                } else {
                    guard let message = try transport.receive() else { throw SecureChannelError.truncated }
                    _ = try handshake.readMessage(message)
                    // The peer's static key is proven once the message carrying it authenticated
                    // under a key mixed with DH(its static key): decide trust now.
                    if let key = handshake.remoteStaticKey, !configuration.peerTrust.accepts(key) {
                        throw SecureChannelError.untrustedPeer(publicKeyHex: Hex.encode(key))
                    }
                }
            }
            return try SecureChannel(handshake: handshake, transport: transport, configuration: configuration)
        } catch {
            transport.close()
            throw Self.channelError(error)
        }
    }

    static func channelError(_ error: any Error) -> SecureChannelError {
        if let error = error as? SecureChannelError { return error }
        return .transport(description: String(describing: error))
    }

    private func checkFailure() throws {
        failureLock.lock()
        defer { failureLock.unlock() }
        if let failure { throw SecureChannelError.channelBroken(cause: failure) }
    }

    /// Records the first failure (sticky) and returns it for rethrowing.
    private func fail(_ error: any Error) -> SecureChannelError {
        let channelError = Self.channelError(error)
        failureLock.lock()
        if failure == nil { failure = channelError }
        failureLock.unlock()
        return channelError
    }

    /// Encrypts and sends one payload as a data record.
    /// - Throws: ``SecureChannelError/messageTooLarge(size:limit:)`` (the channel stays usable),
    ///   ``SecureChannelError/sendAfterFinish``, ``SecureChannelError/nonceExhausted`` or a
    ///   transport error (both break the channel).
    public func send(_ payload: [UInt8]) throws {
        guard payload.count <= configuration.maximumPayloadSize else {
            throw SecureChannelError.messageTooLarge(size: payload.count, limit: configuration.maximumPayloadSize)
        }
        try sendRecord(.data, payload)
    }

    /// Sends a rekey record and replaces the sending key (Noise `Rekey()`); the peer replaces
    /// its receiving key when it reads the record. Old keys can no longer decrypt new records.
    /// - Throws: as ``send(_:)``.
    /// - Throws: also ``SecureChannelError/rekeyNeedsTypedRecords`` with the plain record layer.
    public func rekey() throws {
        guard configuration.recordLayer == .typed else { throw SecureChannelError.rekeyNeedsTypedRecords }
        try sendRecord(.rekey, [])
    }

    /// Sends the end-of-stream record and closes the transport's sending side (with the plain
    /// record layer: only closes it). Idempotent.
    /// - Throws: as ``send(_:)``.
    public func finish() throws {
        sendLock.lock()
        let alreadyFinished = finished
        sendLock.unlock()
        guard !alreadyFinished else { return }
        try sendRecord(.endOfStream, [])
    }

    private func sendRecord(_ type: RecordType, _ payload: [UInt8]) throws {
        try checkFailure()
        sendLock.lock()
        defer { sendLock.unlock() }
        guard !finished else { throw SecureChannelError.sendAfterFinish }
        do {
            // One reused plaintext buffer owned by the channel: no large allocation per record,
            // and it is zeroized before its memory goes back to the allocator (in `deinit`).
            sendScratch.removeAll(keepingCapacity: true)
            if configuration.recordLayer == .plain {
                // Plain Noise: the payload alone; the end of the stream is closing the transport.
                if type == .endOfStream {
                    finished = true
                    transport.close()
                    return
                }
            } else {
                sendScratch.append(type.rawValue)
            }
            sendScratch.append(contentsOf: payload)
            try transport.send(sending.encrypt(associatedData: [], plaintext: sendScratch))
            if configuration.recordLayer == .plain { return }
            switch type {
            case .rekey:
                sending.rekey()
                recordsSinceRekey = 0
            case .endOfStream:
                finished = true
                transport.close()
            case .data:
                recordsSinceRekey += 1
                if let interval = configuration.rekeyInterval, recordsSinceRekey >= interval {
                    try transport.send(sending.encrypt(associatedData: [], plaintext: [RecordType.rekey.rawValue]))
                    sending.rekey()
                    recordsSinceRekey = 0
                }
            }
        } catch {
            throw fail(error)
        }
    }

    /// Receives the next data payload, handling rekey records on the way.
    /// - Returns: the payload, or `nil` once the peer's end-of-stream record has arrived (with
    ///   the plain record layer: once the transport ended).
    /// - Throws: ``SecureChannelError/authenticationFailed`` (tampering, replay, reorder, drop,
    ///   reflection), ``SecureChannelError/truncated``, ``SecureChannelError/dataAfterEndOfStream``,
    ///   ``SecureChannelError/messageTooLarge(size:limit:)``, ``SecureChannelError/malformedRecord``
    ///   or a transport error; after any of them every later call throws
    ///   ``SecureChannelError/channelBroken(cause:)``.
    public func receive() throws -> [UInt8]? {
        try checkFailure()
        receiveLock.lock()
        defer { receiveLock.unlock() }
        do {
            while true {
                let message = try transport.receive()
                guard !peerFinished else {
                    if message == nil { return nil }
                    throw SecureChannelError.dataAfterEndOfStream
                }
                if configuration.recordLayer == .plain {
                    // Plain Noise: the end of the connection is the end of the stream.
                    guard let message else { return nil }
                    let limit = configuration.maximumPayloadSize + 16
                    guard message.count <= limit else {
                        throw SecureChannelError.messageTooLarge(size: message.count, limit: limit)
                    }
                    return CipherState.bytes(of: try receiving.decryptData(associatedData: [], ciphertext: message), dropping: 0)
                }
                guard let message else { throw SecureChannelError.truncated }
                let limit = configuration.maximumPayloadSize + 17
                guard message.count <= limit else {
                    throw SecureChannelError.messageTooLarge(size: message.count, limit: limit)
                }
                let plaintext = try receiving.decryptData(associatedData: [], ciphertext: message)
                guard let first = plaintext.first, let type = RecordType(rawValue: first) else {
                    throw SecureChannelError.malformedRecord
                }
                switch type {
                case .data:
                    return CipherState.bytes(of: plaintext, dropping: 1)
                case .rekey:
                    guard plaintext.count == 1 else { throw SecureChannelError.malformedRecord }
                    receiving.rekey()
                case .endOfStream:
                    guard plaintext.count == 1 else { throw SecureChannelError.malformedRecord }
                    peerFinished = true
                    return nil
                }
            }
        } catch {
            throw fail(error)
        }
    }

    /// Test hook: encrypts and sends an arbitrary record plaintext (to forge unknown types).
    func sendRawPlaintext(_ plaintext: [UInt8]) throws {
        sendLock.lock()
        defer { sendLock.unlock() }
        try transport.send(sending.encrypt(associatedData: [], plaintext: plaintext))
    }

    /// Test hook: moves both counters (to exercise the refusal to wrap).
    func setCounters(sending sendingNonce: UInt64? = nil, receiving receivingNonce: UInt64? = nil) {
        sendLock.lock()
        if let sendingNonce { sending.nonce = sendingNonce }
        sendLock.unlock()
        receiveLock.lock()
        if let receivingNonce { receiving.nonce = receivingNonce }
        receiveLock.unlock()
    }
}
