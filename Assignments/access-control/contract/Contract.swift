/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls, and every value crossing here is a plain
/// value the checks own.

/// A label as the checks name it.
public struct LabelUnderTest: Swift.Hashable, Swift.Sendable, Swift.CustomStringConvertible {
    public var level: Swift.Int
    public var categories: Swift.Set<Swift.String>
    public init(_ level: Swift.Int, _ categories: Swift.Set<Swift.String> = []) {
        self.level = level
        self.categories = categories
    }
    public var description: Swift.String {
        categories.isEmpty ? "level \(level)" : "level \(level) {\(categories.sorted().joined(separator: ","))}"
    }
}

/// The operations, with the information flow the specification gives each (the checks' own copy
/// of the README's table).
public enum OperationUnderTest: Swift.String, Swift.Sendable, Swift.CaseIterable {
    case read, write, send, receive, wait, post, map, unlink

    /// Lets the subject observe the object.
    public var observes: Swift.Bool {
        switch self {
        case .read, .receive, .wait, .map: true
        case .write, .send, .post, .unlink: false
        }
    }

    /// Alters the object.
    public var alters: Swift.Bool { self != .read }
}

/// One denial as the audit log recorded it.
public struct DenialUnderTest: Swift.Hashable, Swift.Sendable, Swift.CustomStringConvertible {
    public var sequence: Swift.Int
    public var subject: Swift.String
    public var object: Swift.String
    public var operation: OperationUnderTest
    public var reasonGiven: Swift.Bool
    public init(sequence: Swift.Int, subject: Swift.String, object: Swift.String, operation: OperationUnderTest, reasonGiven: Swift.Bool) {
        self.sequence = sequence
        self.subject = subject
        self.object = object
        self.operation = operation
        self.reasonGiven = reasonGiven
    }
    public var description: Swift.String { "#\(sequence) \(subject) \(operation.rawValue) \(object)" }
}

/// A reference monitor, as the checks use it. `nil` means allowed; a denial is the record the
/// thrown error carried.
public protocol MonitorUnderTest: AnyObject, Swift.Sendable {
    func register(subject: Swift.String, label: LabelUnderTest)
    func register(object: Swift.String, label: LabelUnderTest)
    func unregister(subject: Swift.String)
    func unregister(object: Swift.String)
    func check(subject: Swift.String, object: Swift.String, operation: OperationUnderTest) -> DenialUnderTest?
    func open(subject: Swift.String, object: Swift.String, for operation: OperationUnderTest) -> Swift.Result<any HandleUnderTest, HandleRefused>
    var auditLog: [DenialUnderTest] { get }
}

/// An open handle.
public protocol HandleUnderTest: Swift.Sendable {
    func perform(_ operation: OperationUnderTest) -> DenialUnderTest?
}

/// `open` was denied.
public struct HandleRefused: Swift.Error, Swift.Hashable {
    public var denial: DenialUnderTest
    public init(denial: DenialUnderTest) { self.denial = denial }
}

/// Rights as the checks name them.
public struct RightsUnderTest: Swift.OptionSet, Swift.Hashable, Swift.Sendable, Swift.CustomStringConvertible {
    public let rawValue: Swift.UInt8
    public init(rawValue: Swift.UInt8) { self.rawValue = rawValue }
    public static let read = RightsUnderTest(rawValue: 1)
    public static let write = RightsUnderTest(rawValue: 2)
    public static let delegate = RightsUnderTest(rawValue: 4)
    public static let all: RightsUnderTest = [.read, .write, .delegate]
    public var description: Swift.String {
        let names = [(RightsUnderTest.read, "read"), (.write, "write"), (.delegate, "delegate")].filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "no rights" : names.joined(separator: "+")
    }
}

/// A token's fields, as the checks hold and alter them.
public struct TokenUnderTest: Swift.Hashable, Swift.Sendable {
    public var id: [Swift.UInt8]
    public var parentID: [Swift.UInt8]?
    public var object: Swift.String
    public var rights: RightsUnderTest
    public var tag: [Swift.UInt8]
    public init(id: [Swift.UInt8], parentID: [Swift.UInt8]?, object: Swift.String, rights: RightsUnderTest, tag: [Swift.UInt8]) {
        self.id = id
        self.parentID = parentID
        self.object = object
        self.rights = rights
        self.tag = tag
    }
}

/// Why the authority refused, as the checks name it.
public enum RefusalUnderTest: Swift.String, Swift.Error, Swift.Sendable {
    case forged, revoked, wrongObject = "wrong object", insufficientRights = "insufficient rights", amplification
}

/// A capability authority, as the checks use it. `nil` means accepted.
public protocol AuthorityUnderTest: AnyObject, Swift.Sendable {
    func mint(object: Swift.String, rights: RightsUnderTest) -> TokenUnderTest
    func authorize(_ token: TokenUnderTest, _ rights: RightsUnderTest, on object: Swift.String) -> RefusalUnderTest?
    func delegate(_ token: TokenUnderTest, rights: RightsUnderTest) -> Swift.Result<TokenUnderTest, RefusalUnderTest>
    func revoke(_ token: TokenUnderTest) -> RefusalUnderTest?
}

/// How the adapter builds the student's types.
public protocol AccessControlImplementation {
    static func makeMonitor() -> any MonitorUnderTest
    static func makeAuthority(tag: @escaping @Sendable ([Swift.UInt8]) -> [Swift.UInt8]) -> any AuthorityUnderTest
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any AccessControlImplementation.Type)!

    public static func makeMonitor() -> any MonitorUnderTest { implementation.makeMonitor() }

    /// An authority tagging with a fresh key of its own.
    public static func makeAuthority() -> any AuthorityUnderTest {
        implementation.makeAuthority(tag: GraderTagFunction().callAsFunction)
    }
}

/// The keyed tag function the checks hand an authority: 32 bytes from four keyed hashes of the
/// input under a key drawn for each authority. It stands in for HMAC-SHA256 (which the
/// reference library's `SecureIPC.CapabilityAuthority` uses): the checks, who play the
/// attacker, never call it, so what is graded is whether the student's code binds every field
/// under it and compares, not the function's strength.
public struct GraderTagFunction: Swift.Sendable {
    private let key: [Swift.UInt64]

    public init() {
        var generator = Swift.SystemRandomNumberGenerator()
        key = (0..<4).map { _ in generator.next() }
    }

    public func callAsFunction(_ bytes: [Swift.UInt8]) -> [Swift.UInt8] {
        key.enumerated().flatMap { index, word -> [Swift.UInt8] in
            var hasher = Swift.Hasher()
            hasher.combine(index)
            hasher.combine(word)
            hasher.combine(bytes.count)
            hasher.combine(bytes)
            let value = Swift.UInt64(bitPattern: Swift.Int64(hasher.finalize()))
            return (0..<8).map { Swift.UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
    }
}
