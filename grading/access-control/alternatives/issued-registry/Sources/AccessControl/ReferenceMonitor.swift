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
/// Complete mediation: ``check(subject:object:operation:)`` runs on every operation, including
/// every operation through a ``MonitoredHandle``, so relabelling or unregistering takes effect
/// on handles already open. Default deny: an unknown subject or object is denied. Every denial
/// is appended to the audit log under the same lock as the decision, so the log's order is the
/// order of the decisions. Thread-safe: one `Lock` guards all state (blocking only on it).
public final class ReferenceMonitor: @unchecked Sendable {
    // Safety: every `Shared` here is touched only while holding `lock`.
    private let lock = Lock(name: "monitor")
    private let subjects = Shared<[String: SecurityLabel]>([:], name: "subjects")
    private let objects = Shared<[String: SecurityLabel]>([:], name: "objects")
    private let log = Shared<[AuditRecord]>([], name: "auditLog")

    /// Creates a monitor with nobody and nothing registered.
    public init() {}

    /// Registers a subject, or relabels one already registered.
    public func register(subject: String, label: SecurityLabel) {
        lock.withLock { subjects.store(subjects.load().merging([subject: label]) { _, new in new }) }
    }

    /// Registers an object, or relabels one already registered.
    public func register(object: String, label: SecurityLabel) {
        lock.withLock { objects.store(objects.load().merging([object: label]) { _, new in new }) }
    }

    /// Removes a subject: its later requests are denied.
    public func unregister(subject: String) {
        lock.withLock {
            var all = subjects.load()
            all[subject] = nil
            subjects.store(all)
        }
    }

    /// Removes an object: later requests on it are denied.
    public func unregister(object: String) {
        lock.withLock {
            var all = objects.load()
            all[object] = nil
            objects.store(all)
        }
    }

    /// Decides one operation: allowed, or denied, logged and thrown.
    /// - Throws: ``AccessDenied`` unless both are registered and Bell-LaPadula allows it.
    public func check(subject: String, object: String, operation: Operation) throws(AccessDenied) {
        lock.lock()
        defer { lock.unlock() }
        guard let reason = denialReason(subject: subject, object: object, operation: operation) else { return }
        let record = AuditRecord(sequence: log.load().count, subject: subject, object: object, operation: operation, reason: reason)
        log.store(log.load() + [record])
        throw AccessDenied(record: record)
    }

    /// Why an operation is denied, or nil if allowed. Called with `lock` held.
    private func denialReason(subject: String, object: String, operation: Operation) -> String? {
        guard let subjectLabel = subjects.load()[subject] else { return "unknown subject \(subject) (default deny)" }
        guard let objectLabel = objects.load()[object] else { return "unknown object \(object) (default deny)" }
        if operation.observes && !subjectLabel.dominates(objectLabel) {
            return "no read up: \(subjectLabel) does not dominate \(objectLabel)"
        }
        if operation.alters && !objectLabel.dominates(subjectLabel) {
            return "no write down: \(objectLabel) does not dominate \(subjectLabel)"
        }
        return nil
    }

    /// Opens a handle: checks `operation` now, and every operation through the handle again.
    /// - Throws: ``AccessDenied``.
    public func open(subject: String, object: String, for operation: Operation) throws(AccessDenied) -> MonitoredHandle {
        try check(subject: subject, object: object, operation: operation)
        return MonitoredHandle(monitor: self, subject: subject, object: object)
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] { lock.withLock { log.load() } }
}

/// A subject's handle on an object. Each operation is checked again by the monitor.
public struct MonitoredHandle: Sendable {
    private let monitor: ReferenceMonitor
    /// Who holds it.
    public let subject: String
    /// What it refers to.
    public let object: String

    init(monitor: ReferenceMonitor, subject: String, object: String) {
        self.monitor = monitor
        self.subject = subject
        self.object = object
    }

    /// Performs `operation` if the monitor allows it now.
    /// - Throws: ``AccessDenied``.
    public func perform(_ operation: Operation) throws(AccessDenied) {
        try monitor.check(subject: subject, object: object, operation: operation)
    }
}
