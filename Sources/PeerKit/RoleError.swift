#if canImport(Glibc)
import Glibc
#endif

/// Why the grader's peer could not hand the program its role, or probe it.
public enum RoleError: Error, CustomStringConvertible, Equatable {
    /// A system call failed.
    case system(String, errno: Int32)
    /// The role message was not what the protocol says.
    case malformed(String)

    /// A sentence for the instructor's log.
    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .malformed(let why): "malformed role message: \(why)"
        }
    }
}
