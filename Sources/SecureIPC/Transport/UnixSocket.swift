import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Listening and connecting on Unix-domain stream sockets, producing ``FramedStreamTransport``s.
public enum UnixSocket {
    /// A bound, listening socket. Deinitializing closes it and removes the socket file.
    public final class Listener: Sendable {
        /// The listening descriptor.
        public let descriptor: Int32
        /// The filesystem path it is bound to.
        public let path: String

        fileprivate init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        /// Blocks until a peer connects and returns a transport for that connection.
        /// - Throws: ``TransportError/system(operation:errno:)``.
        public func accept() throws -> FramedStreamTransport {
            while true {
                let connection = Glibc.accept(descriptor, nil, nil)
                if connection >= 0 {
                    return FramedStreamTransport(
                        readDescriptor: connection, writeDescriptor: connection, ownsDescriptors: true)
                }
                if errno != EINTR { throw TransportError.system(operation: "accept", errno: errno) }
            }
        }

        deinit {
            _ = Glibc.close(descriptor)
            _ = unlink(path)
        }
    }

    /// Creates a socket file at `path` (replacing a stale one) and listens on it.
    /// - Throws: ``TransportError/system(operation:errno:)``, for example when the path is too
    ///   long (over 107 bytes) or its directory is not writable.
    public static func listen(path: String, backlog: Int32 = 8) throws -> Listener {
        let descriptor = try makeSocket()
        var address = try makeAddress(path)
        _ = unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, backlog) == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw TransportError.system(operation: "bind/listen \(path)", errno: code)
        }
        return Listener(descriptor: descriptor, path: path)
    }

    /// Connects to a listening socket at `path`.
    /// - Throws: ``TransportError/system(operation:errno:)`` (`ENOENT` or `ECONNREFUSED` when
    ///   nobody listens there).
    public static func connect(path: String) throws -> FramedStreamTransport {
        let descriptor = try makeSocket()
        var address = try makeAddress(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw TransportError.system(operation: "connect \(path)", errno: code)
        }
        return FramedStreamTransport(readDescriptor: descriptor, writeDescriptor: descriptor, ownsDescriptors: true)
    }

    private static func makeSocket() throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TransportError.system(operation: "socket", errno: errno) }
        return descriptor
    }

    private static func makeAddress(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw TransportError.system(operation: "socket path too long", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}
