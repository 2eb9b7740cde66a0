#if canImport(Glibc)
import Glibc
#endif

/// This process's end of a new channel plus what the peer needs to open the other end.
///
/// Pass ``peerDescriptors`` to ``PeerProcess/spawn(_:arguments:environment:passing:)`` (they
/// arrive as 3, 4, ...), give the peer ``peerArgument(firstDescriptor:)``, and call
/// ``closePeerDescriptors()`` after spawning, so only the peer holds its end (that is what
/// makes the peer's death visible as EOF).
public final class ChannelPair {
    /// This process's end.
    public let local: any MessageChannel
    /// The peer end's descriptors, in the order the peer expects them.
    public private(set) var peerDescriptors: [Int32]
    private let maximumMessageSize: Int

    init(local: any MessageChannel, peerDescriptors: [Int32], maximumMessageSize: Int) {
        self.local = local
        self.peerDescriptors = peerDescriptors
        self.maximumMessageSize = maximumMessageSize
    }

    /// The argument that tells ``ChannelKind/openPeerEnd(_:)`` how to open the peer's end, when
    /// the descriptors arrive numbered from `firstDescriptor`: `kind:maximum:fd,fd`.
    public func peerArgument(firstDescriptor: Int32 = 3) -> String {
        let numbers = peerDescriptors.indices.map { String(firstDescriptor + Int32($0)) }
        return "\(local.kind.rawValue):\(maximumMessageSize):\(numbers.joined(separator: ","))"
    }

    /// Opens the peer's end in this process (for tests and single-process demonstrations),
    /// taking over the peer descriptors.
    /// - Parameter maximumMessageSize: the peer end's own limit; nil uses the pair's.
    /// - Throws: ``IPCError``.
    public func openPeerEndHere(maximumMessageSize: Int? = nil) throws -> any MessageChannel {
        let numbers = peerDescriptors.map(String.init).joined(separator: ",")
        let argument = "\(local.kind.rawValue):\(maximumMessageSize ?? self.maximumMessageSize):\(numbers)"
        let channel = try ChannelKind.openPeerEnd(argument)
        peerDescriptors = []
        return channel
    }

    /// Closes this process's copies of the peer's descriptors. Safe to call twice.
    public func closePeerDescriptors() {
        peerDescriptors.forEach { _ = close($0) }
        peerDescriptors = []
    }

    deinit { closePeerDescriptors() }
}

extension ChannelKind {
    /// Creates a channel of this kind; see ``ChannelPair`` for handing the other end to a peer.
    /// - Parameter maximumMessageSize: the framing limit; nil uses 16 MiB (2 MiB for the ring,
    ///   whose capacity is sized to twice the limit).
    /// - Throws: ``IPCError``.
    public func makePair(maximumMessageSize: Int? = nil) throws -> ChannelPair {
        switch self {
        case .pipe:
            let maximum = maximumMessageSize ?? Self.defaultMaximumMessageSize
            let (local, read, write) = try PipeChannel.makePair(maximumMessageSize: maximum)
            return ChannelPair(local: local, peerDescriptors: [read, write], maximumMessageSize: maximum)
        case .unixStream, .unixSeqpacket:
            let maximum = maximumMessageSize ?? Self.defaultMaximumMessageSize
            let (local, fd) = try UnixSocketChannel.makePair(
                style: self == .unixStream ? .stream : .seqpacket, maximumMessageSize: maximum)
            return ChannelPair(local: local, peerDescriptors: [fd], maximumMessageSize: maximum)
        case .messageQueue:
            let maximum = maximumMessageSize ?? Self.defaultMaximumMessageSize
            let (local, receive, send) = try MessageQueueChannel.makePair(maximumMessageSize: maximum)
            return ChannelPair(local: local, peerDescriptors: [receive, send], maximumMessageSize: maximum)
        case .sharedRing:
            let wanted = maximumMessageSize ?? (2 << 20) - 8
            var capacity = 64 << 10
            while capacity / 2 - 8 < wanted { capacity *= 2 }
            let (local, fd) = try SharedMemoryChannel.makePair(capacity: capacity)
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
            ResourceLedger.recordDescriptor(copy)
            local.region.closeDescriptor()
            return ChannelPair(local: local, peerDescriptors: [copy], maximumMessageSize: local.maximumMessageSize)
        }
    }

    /// Opens the peer's end from an argument made by ``ChannelPair/peerArgument(firstDescriptor:)``
    /// (in the peer process). The channel's liveness check is set to "my parent is alive".
    /// - Throws: ``IPCError`` `.invalidArgument` for a malformed argument.
    public static func openPeerEnd(_ argument: String) throws -> any MessageChannel {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        let fds = parts.count == 3 ? parts[2].split(separator: ",").compactMap { Int32($0) } : []
        guard parts.count == 3, let kind = ChannelKind(rawValue: String(parts[0])), let maximum = Int(parts[1]),
            !fds.isEmpty
        else { throw IPCError(.invalidArgument, "open peer channel", detail: "bad endpoint \"\(argument)\"") }
        let channel: any MessageChannel
        switch kind {
        case .pipe where fds.count == 2:
            channel = try PipeChannel(readFD: fds[0], writeFD: fds[1], maximumMessageSize: maximum)
        case .unixStream, .unixSeqpacket:
            channel = try UnixSocketChannel(
                descriptor: fds[0], style: kind == .unixStream ? .stream : .seqpacket, maximumMessageSize: maximum)
        case .messageQueue where fds.count == 2:
            channel = try MessageQueueChannel(receiveQueue: fds[0], sendQueue: fds[1], maximumMessageSize: maximum)
        case .sharedRing:
            let region = try SharedMemoryRegion.map(descriptor: fds[0])
            close(fds[0])
            region.closeDescriptor()
            channel = try SharedMemoryChannel(region: region, isCreator: false)
        default:
            throw IPCError(.invalidArgument, "open peer channel", detail: "bad endpoint \"\(argument)\"")
        }
        channel.peerLiveness = .parent()
        return channel
    }
}
