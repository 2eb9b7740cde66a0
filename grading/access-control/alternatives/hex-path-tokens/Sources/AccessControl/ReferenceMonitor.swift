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


/// A reference monitor: labels in two maps, the log as numbered entries. The decision is made by
/// a function that returns the reason for a denial; the handle calls back into the monitor.
public final class ReferenceMonitor: @unchecked Sendable {
    private let guardLock = Lock(name: "monitor")
    private let labels = Shared<[String: [String: SecurityLabel]]>(["s": [:], "o": [:]], name: "labels")
    private let entries = Shared<[Int: AuditRecord]>([:], name: "entries")
    private let counter = Shared(0, name: "counter")

    /// Creates a monitor with nobody and nothing registered.
    public init() {}

    private func set(_ kind: String, _ name: String, _ label: SecurityLabel?) {
        guardLock.lock()
        var all = labels.load()
        all[kind, default: [:]][name] = label
        labels.store(all)
        guardLock.unlock()
    }

    /// Registers a subject, or relabels one already registered.
    public func register(subject: String, label: SecurityLabel) { set("s", subject, label) }

    /// Registers an object, or relabels one already registered.
    public func register(object: String, label: SecurityLabel) { set("o", object, label) }

    /// Removes a subject.
    public func unregister(subject: String) { set("s", subject, nil) }

    /// Removes an object.
    public func unregister(object: String) { set("o", object, nil) }

    private func refusal(_ subject: String, _ object: String, _ operation: Operation) -> String? {
        let all = labels.load()
        guard let subjectLabel = all["s"]?[subject], let objectLabel = all["o"]?[object] else {
            return "default deny: \(subject) or \(object) is not registered"
        }
        var problems: [String] = []
        if operation.observes, !subjectLabel.dominates(objectLabel) { problems.append("read up") }
        if operation.alters, !objectLabel.dominates(subjectLabel) { problems.append("write down") }
        return problems.isEmpty ? nil : problems.joined(separator: " and ")
    }

    /// Decides one operation.
    public func check(subject: String, object: String, operation: Operation) throws(AccessDenied) {
        guardLock.lock()
        guard let why = refusal(subject, object, operation) else {
            guardLock.unlock()
            return
        }
        let number = counter.load()
        counter.store(number + 1)
        let record = AuditRecord(sequence: number, subject: subject, object: object, operation: operation, reason: why)
        var log = entries.load()
        log[number] = record
        entries.store(log)
        guardLock.unlock()
        throw AccessDenied(record: record)
    }

    /// Opens a handle.
    public func open(subject: String, object: String, for operation: Operation) throws(AccessDenied) -> MonitoredHandle {
        try check(subject: subject, object: object, operation: operation)
        return MonitoredHandle(monitor: self, subject: subject, object: object)
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] {
        guardLock.withLock { entries.load().sorted { $0.key < $1.key }.map(\.value) }
    }
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
