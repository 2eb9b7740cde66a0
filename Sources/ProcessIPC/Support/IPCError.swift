#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An error from a ProcessIPC operation: what failed, why, and what to do about it.
public struct IPCError: Error, Equatable, Sendable {
    /// The kind of failure; new codes may be added.
    public enum Code: String, Sendable, Equatable {
        /// A system call failed; ``IPCError/errno`` holds the reason.
        case systemCall
        /// The operation did not complete before its timeout.
        case timedOut
        /// The peer closed its end in an orderly way (EOF, EPIPE or a close flag).
        case peerClosed
        /// The peer process exited or was killed without closing its end.
        case peerVanished
        /// A message exceeds the channel's maximum message size.
        case messageTooLarge
        /// A size is invalid (zero, too small for the layout, or not what the opener expected).
        case invalidSize
        /// The named object already exists.
        case alreadyExists
        /// The named object does not exist.
        case notFound
        /// The shared data does not have the expected layout (wrong magic or corrupt framing).
        case protocolViolation
        /// An argument is invalid.
        case invalidArgument
        /// The peer helper executable could not be found or started.
        case peerUnavailable
    }

    /// The kind of failure.
    public var code: Code
    /// The operation that failed, for example `shm_open /turnstile-12-3-ring`.
    public var operation: String
    /// The `errno` value for ``Code/systemCall`` (and some others), if any.
    public var errno: Int32?
    /// More detail, if any.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, _ operation: String, errno: Int32? = nil, detail: String = "") {
        self.code = code
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    /// An error for a failed system call, classifying `errnoValue` (EEXIST, ENOENT, ...).
    static func system(_ operation: String, _ errnoValue: Int32 = Glibc.errno) -> IPCError {
        switch errnoValue {
        case EEXIST: return IPCError(.alreadyExists, operation, errno: errnoValue)
        case ENOENT: return IPCError(.notFound, operation, errno: errnoValue)
        case ETIMEDOUT: return IPCError(.timedOut, operation, errno: errnoValue)
        case EPIPE, ECONNRESET: return IPCError(.peerClosed, operation, errno: errnoValue)
        case EMSGSIZE: return IPCError(.messageTooLarge, operation, errno: errnoValue)
        default: return IPCError(.systemCall, operation, errno: errnoValue)
        }
    }

    var advice: String {
        switch code {
        case .systemCall: return "check the system error above and the object's permissions and limits"
        case .timedOut: return "the peer may be slow, stuck or not started; raise the timeout or check the peer"
        case .peerClosed: return "the other side closed its end; open a new channel to continue"
        case .peerVanished: return "the peer process died; check its exit status with PeerProcess.wait"
        case .messageTooLarge: return "split the message or create the channel with a larger maximum"
        case .invalidSize: return "use a positive size that matches the layout on both sides"
        case .alreadyExists: return "pick a fresh name (IPCName.unique) or unlink the stale object"
        case .notFound: return "create the object first, or check the name on both sides"
        case .protocolViolation: return "both sides must use the same ProcessIPC version and layout"
        case .invalidArgument: return "check the arguments against the documentation"
        case .peerUnavailable:
            return "build the package (swift build) so turnstile-ipc-peer sits next to this executable, "
                + "or set \(PeerExecutable.environmentVariable) to its path"
        }
    }
}

extension IPCError: LocalizedError, CustomStringConvertible {
    /// A sentence saying what failed, why, and what to do.
    public var description: String {
        var text = "\(operation) failed"
        if let errno { text += ": \(String(cString: strerror(errno)))" }
        if !detail.isEmpty { text += " (\(detail))" }
        return text + " — \(advice)."
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}
