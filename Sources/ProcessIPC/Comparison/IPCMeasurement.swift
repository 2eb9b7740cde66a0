#if canImport(Glibc)
import Glibc
#endif

/// The measurements behind ``IPCComparison`` and the `ipc` benchmark suite: each runs against a
/// live ``PeerSession`` (or in this process, for the memcpy limit) and returns one figure.
public enum IPCMeasurement {
    /// Mean nanoseconds per round trip of a `size`-byte message to an `echo` peer and back.
    /// - Throws: ``IPCError`` if the channel fails.
    public static func roundTripNanoseconds(over channel: any MessageChannel, size: Int, iterations: Int) throws -> Double {
        let message = [UInt8](repeating: 0x5A, count: size)
        var buffer = [UInt8](repeating: 0, count: size)
        let start = Deadline.now()
        for _ in 0..<iterations {
            try message.withUnsafeBytes { try channel.send($0, timeout: .seconds(30)) }
            let count = try channel.receive(into: &buffer, timeout: .seconds(30))
            guard count == size else {
                throw IPCError(.protocolViolation, "round trip", detail: "sent \(size) bytes, got \(count) back")
            }
        }
        return Double(Deadline.now() - start) / Double(max(1, iterations))
    }

    /// Bytes per second streamed one way to a `sink` peer: `count` messages of `size` bytes,
    /// then an empty message the sink answers once it has received them all.
    /// - Throws: ``IPCError`` if the channel fails or the sink counted a different total.
    public static func throughputBytesPerSecond(over channel: any MessageChannel, size: Int, count: Int) throws -> Double {
        let message = [UInt8](repeating: 0xA5, count: size)
        var reply = [UInt8](repeating: 0, count: 8)
        let start = Deadline.now()
        try message.withUnsafeBytes { bytes in
            for _ in 0..<count { try channel.send(bytes, timeout: .seconds(30)) }
        }
        try channel.send([], timeout: .seconds(30))
        _ = try channel.receive(into: &reply, timeout: .seconds(30))
        let elapsed = Deadline.now() - start
        let total = reply.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard total == UInt64(size * count) else {
            throw IPCError(.protocolViolation, "throughput", detail: "sent \(size * count) bytes, sink counted \(total)")
        }
        return Double(size * count) / (Double(elapsed) / 1e9)
    }

    /// Bytes per second of `memcpy` of `size` bytes within this process, repeated `count`
    /// times between two warm buffers: the physical limit a copy through shared memory can reach.
    public static func memcpyBytesPerSecond(size: Int, count: Int) -> Double {
        let source = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        let target = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer {
            source.deallocate()
            target.deallocate()
        }
        source.initializeMemory(as: UInt8.self, repeating: 0xA5, count: size)
        target.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let start = Deadline.now()
        for _ in 0..<count { memcpy(target, source, size) }
        let elapsed = Deadline.now() - start
        return Double(size * count) / (Double(max(1, elapsed)) / 1e9)
    }
}
