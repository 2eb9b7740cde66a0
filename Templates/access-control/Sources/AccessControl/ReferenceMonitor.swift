import TurnstileRuntime

/// One denial in the audit log.
public struct AuditRecord: Hashable, Sendable {
    /// Position in the log: 0 for the first denial, then 1, 2, …
    public let sequence: Int
    /// Who asked.
    public let subject: String
    /// For what object.
    public let object: String
    /// To do what.
    public let operation: Operation
    /// Why it was denied, for a person.
    public let reason: String

    /// Creates a record.
    public init(sequence: Int, subject: String, object: String, operation: Operation, reason: String) {
        self.sequence = sequence
        self.subject = subject
        self.object = object
        self.operation = operation
        self.reason = reason
    }
}

/// Thrown when the monitor denies an operation; carries the record it wrote to the audit log.
public struct AccessDenied: Error, Hashable, Sendable {
    /// The audit record of this denial.
    public let record: AuditRecord

    /// Creates the error for `record`.
    public init(record: AuditRecord) { self.record = record }
}

/// A reference monitor over labelled IPC objects, enforcing Bell-LaPadula.
///
/// Your task: read the assignment README first. Guard the state with the runtime's `Lock` and
/// keep it in `Shared`, so the checks can run your monitor from several threads.
public final class ReferenceMonitor: @unchecked Sendable {
    // TODO: the lock and the shared state you need.

    /// Creates a monitor with nobody and nothing registered.
    public init() {
        // TODO
    }

    /// Registers a subject, or relabels one already registered.
    public func register(subject: String, label: SecurityLabel) {
        fatalError("TODO: implement register(subject:label:)")
    }

    /// Registers an object, or relabels one already registered.
    public func register(object: String, label: SecurityLabel) {
        fatalError("TODO: implement register(object:label:)")
    }

    /// Removes a subject: its later requests are denied.
    public func unregister(subject: String) {
        fatalError("TODO: implement unregister(subject:)")
    }

    /// Removes an object: later requests on it are denied.
    public func unregister(object: String) {
        fatalError("TODO: implement unregister(object:)")
    }

    /// Decides one operation: allowed, or denied, logged and thrown.
    /// - Throws: ``AccessDenied`` unless both are registered and Bell-LaPadula allows it.
    public func check(subject: String, object: String, operation: Operation) throws(AccessDenied) {
        fatalError("TODO: implement check(subject:object:operation:)")
    }

    /// Opens a handle: checks `operation` now, and every operation through the handle again.
    /// - Throws: ``AccessDenied``.
    public func open(subject: String, object: String, for operation: Operation) throws(AccessDenied) -> MonitoredHandle {
        fatalError("TODO: implement open(subject:object:for:)")
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] {
        fatalError("TODO: implement auditLog")
    }
}

/// A subject's handle on an object.
public struct MonitoredHandle: Sendable {
    // TODO: what the handle needs.
    /// Who holds it.
    public let subject: String
    /// What it refers to.
    public let object: String

    /// Performs `operation` if the monitor allows it now.
    /// - Throws: ``AccessDenied``.
    public func perform(_ operation: Operation) throws(AccessDenied) {
        fatalError("TODO: implement perform(_:)")
    }
}
