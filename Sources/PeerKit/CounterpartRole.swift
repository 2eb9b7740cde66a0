#if canImport(Glibc)
import Glibc
#endif

/// What the grader's peer asks the student's program to do, and the descriptors to do it with.
///
/// The program of a process assignment starts with a grader-owned `main` that reads its role
/// from the *bootstrap socket* (``bootstrapDescriptor``), a Unix-domain socket whose other end
/// only the peer holds: one message, the role's name, with the IPC objects the peer set up
/// (listening socket, pipe ends, shared-memory descriptor, …) passed as descriptors. Nothing the
/// student controls (arguments, environment, files) chooses the role.
///
/// Blocking: ``receive(from:)`` blocks until the peer sends or closes.
public struct CounterpartRole: Sendable, Equatable {
    /// The descriptor number the program finds its bootstrap socket on.
    public static let bootstrapDescriptor: Int32 = 5

    /// The role's name, as the assignment's program `main` switches on it.
    public var name: String
    /// The descriptors handed over, in the order the assignment's protocol lists them.
    public var descriptors: [Int32]

    /// A role to send.
    public init(name: String, descriptors: [Int32]) {
        self.name = name
        self.descriptors = descriptors
    }

    /// Sends this role over the bootstrap socket (the peer's end).
    /// - Throws: ``RoleError``.
    public func send(over socket: Int32) throws {
        try DescriptorPassing.send(Array(name.utf8), descriptors: descriptors, over: socket)
    }

    /// Receives the role from the bootstrap socket, or nil if the peer closed it first.
    /// - Throws: ``RoleError``.
    public static func receive(from socket: Int32 = bootstrapDescriptor) throws -> CounterpartRole? {
        guard let (message, descriptors) = try DescriptorPassing.receive(over: socket) else { return nil }
        guard let name = String(validating: message, as: UTF8.self), !name.isEmpty else {
            descriptors.forEach { _ = close($0) }
            throw RoleError.malformed("the role name is not UTF-8 text")
        }
        return CounterpartRole(name: name, descriptors: descriptors)
    }
}
