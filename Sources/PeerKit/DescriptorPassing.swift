#if canImport(Glibc)
import Glibc
#endif

/// Sends and receives open file descriptors over a Unix-domain socket (`SCM_RIGHTS`), with one
/// short message beside them, in a single `sendmsg`/`recvmsg` so the two arrive together.
///
/// Blocking: both calls block on the socket (retrying `EINTR`). Not thread-safe per socket.
public enum DescriptorPassing {
    /// The most descriptors one message carries.
    public static let maximumDescriptors = 8
    /// The longest text one message carries, in bytes.
    public static let maximumMessageBytes = 256

    /// Sends `message` with `descriptors` (the receiver gets its own copies; close yours after).
    /// - Throws: ``RoleError/system(_:errno:)`` if `sendmsg` fails or sends less than the message.
    public static func send(_ message: [UInt8], descriptors: [Int32], over socket: Int32) throws {
        precondition(message.count <= maximumMessageBytes && descriptors.count <= maximumDescriptors && !message.isEmpty)
        let payload = descriptors.count * MemoryLayout<Int32>.size
        let headerSize = MemoryLayout<cmsghdr>.size
        var control = [UInt8](repeating: 0, count: descriptors.isEmpty ? 0 : headerSize + align(payload))
        var body = message
        let sent = body.withUnsafeMutableBytes { bodyBytes -> Int in
            control.withUnsafeMutableBytes { controlBytes -> Int in
                var vector = iovec(iov_base: bodyBytes.baseAddress, iov_len: bodyBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer -> Int in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    if !descriptors.isEmpty {
                        let control = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                        control.pointee.cmsg_len = headerSize + payload
                        control.pointee.cmsg_level = SOL_SOCKET
                        control.pointee.cmsg_type = Int32(SCM_RIGHTS)
                        descriptors.withUnsafeBytes { (controlBytes.baseAddress! + headerSize).copyMemory(from: $0.baseAddress!, byteCount: payload) }
                        header.msg_control = controlBytes.baseAddress
                        header.msg_controllen = controlBytes.count
                    }
                    while true {
                        let result = sendmsg(socket, &header, Int32(MSG_NOSIGNAL))
                        if result < 0 && errno == EINTR { continue }
                        return result
                    }
                }
            }
        }
        guard sent == message.count else { throw RoleError.system("sendmsg", errno: sent < 0 ? errno : EMSGSIZE) }
    }

    /// Receives one message and the descriptors sent with it (close-on-exec), or nil at end of file.
    /// - Throws: ``RoleError/system(_:errno:)`` if `recvmsg` fails.
    public static func receive(over socket: Int32) throws -> (message: [UInt8], descriptors: [Int32])? {
        let headerSize = MemoryLayout<cmsghdr>.size
        var control = [UInt8](repeating: 0, count: headerSize + align(maximumDescriptors * MemoryLayout<Int32>.size))
        var body = [UInt8](repeating: 0, count: maximumMessageBytes)
        var received = 0
        var descriptors: [Int32] = []
        try body.withUnsafeMutableBytes { bodyBytes in
            try control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: bodyBytes.baseAddress, iov_len: bodyBytes.count)
                try withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    while true {
                        received = recvmsg(socket, &header, Int32(MSG_CMSG_CLOEXEC))
                        if received < 0 && errno == EINTR { continue }
                        break
                    }
                    guard received >= 0 else { throw RoleError.system("recvmsg", errno: errno) }
                    guard header.msg_controllen >= headerSize else { return }
                    let control = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                    guard control.pointee.cmsg_level == SOL_SOCKET, control.pointee.cmsg_type == Int32(SCM_RIGHTS) else { return }
                    let count = (Int(control.pointee.cmsg_len) - headerSize) / MemoryLayout<Int32>.size
                    let start = controlBytes.baseAddress! + headerSize
                    descriptors = (0..<count).map { start.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Int32>.size, as: Int32.self) }
                }
            }
        }
        if received == 0 && descriptors.isEmpty { return nil }
        return (Array(body[0..<received]), descriptors)
    }

    private static func align(_ count: Int) -> Int {
        let word = MemoryLayout<Int>.size
        return (count + word - 1) / word * word
    }
}
