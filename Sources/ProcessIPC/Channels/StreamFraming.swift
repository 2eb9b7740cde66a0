#if canImport(Glibc)
import Glibc
#endif

/// Length-prefixed framing over a byte stream (pipe or stream socket): a little-endian `UInt32`
/// length, then the payload. The receiver rejects a length above its maximum before allocating.
struct StreamFraming {
    let readFD: Int32
    let writeFD: Int32
    let isSocket: Bool
    let maximumMessageSize: Int

    func send(_ message: UnsafeRawBufferPointer, deadline: Deadline, liveness: PeerLiveness) throws {
        var length = UInt32(message.count).littleEndian
        try withUnsafeBytes(of: &length) { header in
            try FileDescriptorIO.writeAll(
                writeFD, header, isSocket: isSocket, deadline: deadline, liveness: liveness, operation: "send header")
        }
        try FileDescriptorIO.writeAll(
            writeFD, message, isSocket: isSocket, deadline: deadline, liveness: liveness, operation: "send message")
    }

    func receive(into buffer: inout [UInt8], deadline: Deadline, liveness: PeerLiveness) throws -> Int {
        var length: UInt32 = 0
        try withUnsafeMutableBytes(of: &length) { header in
            try FileDescriptorIO.readExactly(
                readFD, into: header, deadline: deadline, liveness: liveness, operation: "receive header")
        }
        let count = Int(UInt32(littleEndian: length))
        guard count <= maximumMessageSize else {
            throw IPCError(
                .messageTooLarge, "receive message", detail: "peer announced \(count) bytes, maximum \(maximumMessageSize)")
        }
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        try buffer.withUnsafeMutableBytes { storage in
            try FileDescriptorIO.readExactly(
                readFD, into: UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]), deadline: deadline,
                liveness: liveness, operation: "receive message")
        }
        return count
    }
}
