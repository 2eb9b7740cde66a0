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


/// A reference monitor computing, from the labels registered now, the set of operations a
/// subject may perform on an object, and checking membership.
public final class ReferenceMonitor: @unchecked Sendable {
    struct Tables {
        var subjects: [String: SecurityLabel] = [:]
        var objects: [String: SecurityLabel] = [:]
        var log: [AuditRecord] = []
    }

    private let mutex = Lock(name: "monitor")
    private let tables = Shared(Tables(), name: "tables")

    /// Creates a monitor with nobody and nothing registered.
    public init() {}

    private func update(_ change: (inout Tables) -> Void) {
        mutex.withLock {
            var t = tables.load()
            change(&t)
            tables.store(t)
        }
    }

    /// Registers a subject, or relabels one already registered.
    public func register(subject: String, label: SecurityLabel) { update { $0.subjects[subject] = label } }

    /// Registers an object, or relabels one already registered.
    public func register(object: String, label: SecurityLabel) { update { $0.objects[object] = label } }

    /// Removes a subject.
    public func unregister(subject: String) { update { $0.subjects[subject] = nil } }

    /// Removes an object.
    public func unregister(object: String) { update { $0.objects[object] = nil } }

    static func permitted(_ s: SecurityLabel, _ o: SecurityLabel) -> Set<Operation> {
        let mayObserve = s.dominates(o), mayAlter = o.dominates(s)
        return Set(Operation.allCases.filter { (!$0.observes || mayObserve) && (!$0.alters || mayAlter) })
    }

    /// Decides one operation.
    public func check(subject: String, object: String, operation: Operation) throws(AccessDenied) {
        var denied: AuditRecord?
        mutex.withLock {
            var t = tables.load()
            let reason: String
            if let s = t.subjects[subject], let o = t.objects[object] {
                if Self.permitted(s, o).contains(operation) { return }
                reason = "\(operation.rawValue) is not among the operations \(s) may perform on \(o)"
            } else {
                reason = "not registered"
            }
            let record = AuditRecord(sequence: t.log.count, subject: subject, object: object, operation: operation, reason: reason)
            t.log.append(record)
            tables.store(t)
            denied = record
        }
        if let denied { throw AccessDenied(record: denied) }
    }

    /// Opens a handle.
    public func open(subject: String, object: String, for operation: Operation) throws(AccessDenied) -> MonitoredHandle {
        try check(subject: subject, object: object, operation: operation)
        return MonitoredHandle(monitor: self, subject: subject, object: object)
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] { mutex.withLock { tables.load().log } }
}

/// A subject's handle on an object.
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
    public func perform(_ operation: Operation) throws(AccessDenied) {
        try monitor.check(subject: subject, object: object, operation: operation)
    }
}
