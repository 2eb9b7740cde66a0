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


/// A reference monitor that caches its decisions per (subject, object, operation) and throws the
/// whole cache away whenever a label changes, so a cached decision is always the one the current
/// labels give. Every denial, cached or not, is logged. One lock, one state value.
public final class ReferenceMonitor: @unchecked Sendable {
    struct Key: Hashable {
        let subject: String
        let object: String
        let operation: Operation
    }

    struct State {
        var subjects: [String: SecurityLabel] = [:]
        var objects: [String: SecurityLabel] = [:]
        var cache: [Key: String?] = [:]
        var records: [AuditRecord] = []
        var nextSequence = 0
    }

    private let lock = Lock(name: "monitor")
    private let state = Shared(State(), name: "monitorState")

    /// Creates a monitor with nobody and nothing registered.
    public init() {}

    private func mutate(_ body: (inout State) -> Void) {
        lock.lock()
        var current = state.load()
        body(&current)
        current.cache = [:]
        state.store(current)
        lock.unlock()
    }

    /// Registers a subject, or relabels one already registered.
    public func register(subject: String, label: SecurityLabel) {
        mutate { $0.subjects[subject] = label }
    }

    /// Registers an object, or relabels one already registered.
    public func register(object: String, label: SecurityLabel) {
        mutate { $0.objects[object] = label }
    }

    /// Removes a subject: its later requests are denied.
    public func unregister(subject: String) {
        mutate { $0.subjects.removeValue(forKey: subject) }
    }

    /// Removes an object: later requests on it are denied.
    public func unregister(object: String) {
        mutate { $0.objects.removeValue(forKey: object) }
    }

    private static func evaluate(_ state: State, _ key: Key) -> String? {
        guard let s = state.subjects[key.subject] else { return "subject not registered" }
        guard let o = state.objects[key.object] else { return "object not registered" }
        switch (key.operation.observes, key.operation.alters) {
        case (true, true):
            return s == o ? nil : "observing and altering needs equal labels (\(s) vs \(o))"
        case (true, false):
            return s.dominates(o) ? nil : "simple security: \(s) < \(o)"
        case (false, true):
            return o.dominates(s) ? nil : "star property: \(o) < \(s)"
        case (false, false):
            return nil
        }
    }

    /// Decides one operation: allowed, or denied, logged and thrown.
    public func check(subject: String, object: String, operation: Operation) throws(AccessDenied) {
        let key = Key(subject: subject, object: object, operation: operation)
        lock.lock()
        var current = state.load()
        let reason: String?
        if let cached = current.cache[key] {
            reason = cached
        } else {
            reason = Self.evaluate(current, key)
            current.cache[key] = .some(reason)
        }
        var record: AuditRecord?
        if let reason {
            let made = AuditRecord(sequence: current.nextSequence, subject: subject, object: object, operation: operation, reason: reason)
            current.nextSequence += 1
            current.records.append(made)
            record = made
        }
        state.store(current)
        lock.unlock()
        if let record { throw AccessDenied(record: record) }
    }

    /// Opens a handle.
    public func open(subject: String, object: String, for operation: Operation) throws(AccessDenied) -> MonitoredHandle {
        try check(subject: subject, object: object, operation: operation)
        return MonitoredHandle(monitor: self, subject: subject, object: object)
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] {
        lock.lock()
        defer { lock.unlock() }
        return state.load().records
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
