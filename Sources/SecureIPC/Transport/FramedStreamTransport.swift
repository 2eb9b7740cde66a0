import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A ``MessageTransport`` over a byte stream (a Unix stream socket, a pair of pipes, or
/// stdin/stdout), each message framed by a 2-byte big-endian length, as Noise implementations
/// commonly do. Messages are therefore at most 65535 bytes.
///
/// `send` blocks until the whole frame is written; `receive` blocks until a whole frame is read.
/// One thread may send while another receives. Writing to a closed pipe raises `EPIPE` instead of
/// killing the process: creating a transport ignores `SIGPIPE` process-wide.
public final class FramedStreamTransport: MessageTransport, @unchecked Sendable {
    // Safe to share: descriptors are immutable; the close flags and the write path are guarded by
    // `lock`, and reads are serialized by `readLock`.
    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let ownsDescriptors: Bool
    private let isSocket: Bool
    private let lock = NSLock()
    private let readLock = NSLock()
    private var writeClosed = false

    /// Wraps descriptors.
    /// - Parameters:
    ///   - readDescriptor: where frames are read from.
    ///   - writeDescriptor: where frames are written; may equal `readDescriptor` (a socket).
    ///   - ownsDescriptors: close them when the transport is deinitialized.
    public init(readDescriptor: Int32, writeDescriptor: Int32, ownsDescriptors: Bool) {
        signal(SIGPIPE, SIG_IGN)
        self.readDescriptor = readDescriptor
        self.writeDescriptor = writeDescriptor
        self.ownsDescriptors = ownsDescriptors
        var status = stat()
        isSocket = fstat(writeDescriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK
    }

    /// A transport over this process's standard input and output.
    public static func standardIO() -> FramedStreamTransport {
        FramedStreamTransport(readDescriptor: 0, writeDescriptor: 1, ownsDescriptors: false)
    }

    deinit {
        guard ownsDescriptors else { return }
        _ = Glibc.close(readDescriptor)
        if writeDescriptor != readDescriptor { _ = Glibc.close(writeDescriptor) }
    }

    /// Writes one frame. - Throws: ``TransportError``.
    public func send(_ message: [UInt8]) throws {
        guard message.count <= 0xFFFF else { throw TransportError.messageTooLarge(size: message.count) }
        var frame = [UInt8(message.count >> 8), UInt8(message.count & 0xFF)]
        frame += message
        lock.lock()
        defer { lock.unlock() }
        guard !writeClosed else { throw TransportError.closed }
        try frame.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(writeDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw errno == EPIPE ? TransportError.closed : TransportError.system(operation: "write", errno: errno)
                }
                offset += written
            }
        }
    }

    /// Reads one frame; `nil` on end of stream at a frame boundary. - Throws: ``TransportError``.
    public func receive() throws -> [UInt8]? {
        readLock.lock()
        defer { readLock.unlock() }
        guard let header = try readExactly(2) else { return nil }
        let length = Int(header[0]) << 8 | Int(header[1])
        if length == 0 { return [] }
        guard let body = try readExactly(length) else { throw TransportError.truncatedFrame }
        return body
    }

    /// Returns `nil` if the stream ends before the first byte; throws if it ends after it.
    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        try buffer.withUnsafeMutableBytes { bytes in
            while offset < count {
                let got = Glibc.read(readDescriptor, bytes.baseAddress! + offset, count - offset)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw TransportError.system(operation: "read", errno: errno)
                }
                if got == 0 { break }
                offset += got
            }
        }
        if offset == count { return buffer }
        if offset == 0 { return nil }
        throw TransportError.truncatedFrame
    }

    /// Closes the sending direction: `shutdown(SHUT_WR)` on a socket, `close` on a pipe.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !writeClosed else { return }
        writeClosed = true
        if isSocket {
            _ = shutdown(writeDescriptor, Int32(SHUT_WR))
        } else if ownsDescriptors {
            _ = Glibc.close(writeDescriptor)
        }
    }
}
