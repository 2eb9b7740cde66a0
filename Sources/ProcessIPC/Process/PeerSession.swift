/// A peer process and the channel to it, started together; what tests, benchmarks and the
/// CLI use to talk to a second process.
///
/// Releasing the session closes the channel and ends the peer (SIGTERM, then SIGKILL).
public final class PeerSession {
    /// The running peer.
    public let process: PeerProcess
    /// This process's end of the channel; its liveness check follows ``process``.
    public let channel: any MessageChannel

    /// Creates a channel of `kind` and starts the peer with `role`, the channel's endpoint and
    /// `arguments` (see ``PeerMain`` for the roles).
    /// - Parameters:
    ///   - kind: the mechanism.
    ///   - role: the peer's role, such as `echo`.
    ///   - arguments: more arguments for the role.
    ///   - maximumMessageSize: see ``ChannelKind/makePair(maximumMessageSize:)``.
    ///   - executable: the peer program; nil finds it with ``PeerExecutable/locate()``.
    /// - Throws: ``IPCError``.
    public init(
        kind: ChannelKind, role: String, arguments: [String] = [], maximumMessageSize: Int? = nil,
        executable: PeerExecutable? = nil
    ) throws {
        let pair = try kind.makePair(maximumMessageSize: maximumMessageSize)
        let program = try executable ?? PeerExecutable.locate()
        process = try PeerProcess.spawn(
            program, arguments: [role, pair.peerArgument()] + arguments, passing: pair.peerDescriptors)
        pair.closePeerDescriptors()
        channel = pair.local
        channel.peerLiveness = process.liveness
    }

    /// Closes the channel and waits for the peer to exit, ending it if it does not.
    /// - Parameter timeout: how long the peer may take to exit after the close.
    /// - Returns: how the peer ended.
    @discardableResult
    public func finish(timeout: Duration = .seconds(5)) -> ExitStatus {
        channel.close()
        if let status = try? process.wait(timeout: timeout) { return status }
        return process.terminate()
    }

    deinit { finish(timeout: .milliseconds(500)) }
}
