/// A transport that keeps message boundaries but limits their size (seqpacket socket, queue).
protocol PacketTransport {
    /// The largest packet the transport carries.
    var packetSize: Int { get }
    func sendPacket(_ packet: UnsafeRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws
    /// Receives one packet into `buffer` (at least ``packetSize`` bytes); returns its length.
    func receivePacket(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws -> Int
}

/// Splits messages larger than a packet: the first packet carries an 8-byte header (`UInt32`
/// total length, `UInt32` kind, little-endian) and the start of the payload, continuation
/// packets carry only payload. A kind of ``closeKind`` announces an orderly close (for
/// transports without EOF, such as message queues).
struct PacketFraming {
    static let headerSize = 8
    static let messageKind: UInt32 = 0
    static let closeKind: UInt32 = 1

    let maximumMessageSize: Int
    /// Packet-sized scratch space, reused.
    private var scratch: [UInt8]

    init(packetSize: Int, maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
        scratch = [UInt8](repeating: 0, count: packetSize)
    }

    mutating func send(
        _ message: UnsafeRawBufferPointer, kind: UInt32 = messageKind, over transport: some PacketTransport,
        deadline: Deadline, liveness: PeerLiveness
    ) throws {
        let firstChunk = min(message.count, transport.packetSize - Self.headerSize)
        try scratch.withUnsafeMutableBytes { packet in
            packet.storeBytes(of: UInt32(message.count).littleEndian, as: UInt32.self)
            packet.storeBytes(of: kind.littleEndian, toByteOffset: 4, as: UInt32.self)
            if firstChunk > 0 {
                (packet.baseAddress! + Self.headerSize).copyMemory(from: message.baseAddress!, byteCount: firstChunk)
            }
            try transport.sendPacket(
                UnsafeRawBufferPointer(rebasing: packet[0..<(Self.headerSize + firstChunk)]), deadline: deadline,
                liveness: liveness)
        }
        var offset = firstChunk
        while offset < message.count {
            let chunk = min(message.count - offset, transport.packetSize)
            try transport.sendPacket(
                UnsafeRawBufferPointer(rebasing: message[offset..<(offset + chunk)]), deadline: deadline, liveness: liveness)
            offset += chunk
        }
    }

    mutating func receive(
        into buffer: inout [UInt8], over transport: some PacketTransport, deadline: Deadline, liveness: PeerLiveness
    ) throws -> Int {
        let maximum = maximumMessageSize
        let (total, firstChunk) = try scratch.withUnsafeMutableBytes { packet -> (Int, Int) in
            let length = try transport.receivePacket(into: packet, deadline: deadline, liveness: liveness)
            guard length >= Self.headerSize else {
                throw IPCError(.protocolViolation, "receive message", detail: "packet of \(length) bytes has no header")
            }
            let total = Int(UInt32(littleEndian: packet.load(as: UInt32.self)))
            if UInt32(littleEndian: packet.load(fromByteOffset: 4, as: UInt32.self)) == Self.closeKind {
                throw IPCError(.peerClosed, "receive message", detail: "the peer closed the channel")
            }
            guard total <= maximum else {
                throw IPCError(.messageTooLarge, "receive message", detail: "peer announced \(total) bytes, maximum \(maximum)")
            }
            guard length - Self.headerSize <= total else {
                throw IPCError(.protocolViolation, "receive message", detail: "first packet longer than its message")
            }
            return (total, length - Self.headerSize)
        }
        if buffer.count < total { buffer = [UInt8](repeating: 0, count: total) }
        buffer.withUnsafeMutableBytes { target in
            scratch.withUnsafeBytes { packet in
                target.baseAddress!.copyMemory(from: packet.baseAddress! + Self.headerSize, byteCount: firstChunk)
            }
        }
        var offset = firstChunk
        while offset < total {
            let length = try scratch.withUnsafeMutableBytes { packet in
                try transport.receivePacket(into: packet, deadline: deadline, liveness: liveness)
            }
            guard length > 0, offset + length <= total else {
                throw IPCError(.protocolViolation, "receive message", detail: "continuation packet does not fit the message")
            }
            buffer.withUnsafeMutableBytes { target in
                scratch.withUnsafeBytes { packet in
                    (target.baseAddress! + offset).copyMemory(from: packet.baseAddress!, byteCount: length)
                }
            }
            offset += length
        }
        return total
    }
}
