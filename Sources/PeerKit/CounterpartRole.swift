#if canImport(Glibc)
import Glibc
#endif

/// What the grader's peer asks the student's program to do, and the descriptors to do it with.
///
/// The program of a process assignment starts with a grader-owned `main` that reads its role
/// from the *bootstrap socket* (``bootstrapDescriptor``), a Unix-domain socket whose other end
/// only the peer holds: one message, the role's name and its arguments (NUL-separated), with the IPC objects the peer set up
/// (listening socket, pipe ends, shared-memory descriptor, …) passed as descriptors. Nothing the
/// student controls (arguments, environment, files) chooses the role.
///
/// Blocking: ``receive(from:)`` blocks until the peer sends or closes.
public struct CounterpartRole: Sendable, Equatable {
    /// The descriptor number the program finds its bootstrap socket on.
    public static let bootstrapDescriptor: Int32 = 5
    /// The descriptor on which a peer that drives two instances of the program holds the
    /// second one's bootstrap socket (the first one's is ``bootstrapDescriptor``).
    public static let secondBootstrapDescriptor: Int32 = 6

    /// The role's name, as the assignment's program `main` switches on it.
    public var name: String
    /// The descriptors handed over, in the order the assignment's protocol lists them.
    public var descriptors: [Int32]
    /// Words the role needs besides descriptors (an object's name, a capacity, a count), in the
    /// order the assignment's protocol lists them; none may contain a NUL byte.
    public var arguments: [String]

    /// A role to send.
    public init(name: String, arguments: [String] = [], descriptors: [Int32]) {
        self.name = name
        self.arguments = arguments
        self.descriptors = descriptors
    }

    /// Sends this role over the bootstrap socket (the peer's end).
    /// - Throws: ``RoleError``.
    public func send(over socket: Int32) throws {
        let message = ([name] + arguments).map { Array($0.utf8) }.joined(separator: [0])
        try DescriptorPassing.send(Array(message), descriptors: descriptors, over: socket)
    }

    /// Receives the role from the bootstrap socket, or nil if the peer closed it first.
    /// - Throws: ``RoleError``.
    public static func receive(from socket: Int32 = bootstrapDescriptor) throws -> CounterpartRole? {
        guard let (message, descriptors) = try DescriptorPassing.receive(over: socket) else { return nil }
        let words = message.split(separator: 0, omittingEmptySubsequences: false).map { String(validating: $0, as: UTF8.self) }
        guard let name = words.first ?? nil, !name.isEmpty, !words.contains(nil) else {
            descriptors.forEach { _ = close($0) }
            throw RoleError.malformed("the role name or an argument is not UTF-8 text")
        }
        return CounterpartRole(name: name, arguments: words.dropFirst().compactMap { $0 }, descriptors: descriptors)
    }
}
