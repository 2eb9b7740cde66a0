import Foundation

/// A reference monitor for IPC objects: it mediates every operation (not only the open),
/// denies by default (unknown subjects, unknown objects, or a policy that says no), and records
/// every denial in an audit log.
///
/// Because the check runs on each operation, relabelling an object or a subject, or
/// unregistering it, takes effect on handles already open. Thread-safe.
public final class ReferenceMonitor: @unchecked Sendable {
    // Safe to share: the registries and the audit log are guarded by `lock`.
    private let policy: any AccessPolicy
    private let lock = NSLock()
    private var subjects: [String: Subject] = [:]
    private var objects: [String: IPCObject] = [:]
    private var log: [AuditRecord] = []

    /// Creates a monitor enforcing `policy`.
    public init(policy: any AccessPolicy) { self.policy = policy }

    /// Registers or replaces (relabels) a subject.
    public func register(_ subject: Subject) { lock.withLock { subjects[subject.id] = subject } }
    /// Registers or replaces (relabels) an object.
    public func register(_ object: IPCObject) { lock.withLock { objects[object.id] = object } }
    /// Removes a subject; its later requests are denied.
    public func unregister(subjectID: String) { lock.withLock { _ = subjects.removeValue(forKey: subjectID) } }
    /// Removes an object; later requests on it are denied.
    public func unregister(objectID: String) { lock.withLock { _ = objects.removeValue(forKey: objectID) } }

    /// Checks one operation.
    /// - Throws: ``AccessDenied`` (after appending it to the audit log) unless the subject and
    ///   object are registered and the policy allows the operation.
    public func check(subjectID: String, objectID: String, operation: IPCOperation) throws {
        try lock.withLock {
            let reason: String?
            if let subject = subjects[subjectID], let object = objects[objectID] {
                reason = policy.denialReason(subject: subject, object: object, operation: operation)
            } else {
                reason = subjects[subjectID] == nil ? "unknown subject (default deny)" : "unknown object (default deny)"
            }
            guard let reason else { return }
            let record = AuditRecord(sequence: log.count, subjectID: subjectID, objectID: objectID, operation: operation, reason: reason)
            log.append(record)
            throw AccessDenied(record: record)
        }
    }

    /// Opens a handle, checking the first operation now; every later operation through the
    /// handle is checked again.
    /// - Throws: ``AccessDenied``.
    public func open(subjectID: String, objectID: String, for operation: IPCOperation) throws -> MonitoredHandle {
        try check(subjectID: subjectID, objectID: objectID, operation: operation)
        return MonitoredHandle(monitor: self, subjectID: subjectID, objectID: objectID)
    }

    /// Every denial so far, oldest first.
    public var auditLog: [AuditRecord] { lock.withLock { log } }
}

/// A subject's handle on an object; each operation is re-checked by the monitor.
public struct MonitoredHandle: Sendable {
    let monitor: ReferenceMonitor
    /// Who holds the handle.
    public let subjectID: String
    /// What it refers to.
    public let objectID: String

    /// Checks `operation`, then runs `body`.
    /// - Throws: ``AccessDenied`` (`body` does not run) or what `body` throws.
    public func perform<Result>(_ operation: IPCOperation, _ body: () throws -> Result) throws -> Result {
        try monitor.check(subjectID: subjectID, objectID: objectID, operation: operation)
        return try body()
    }
}

/// One denial in the audit log.
public struct AuditRecord: Sendable, Hashable, CustomStringConvertible {
    /// Position in the log.
    public let sequence: Int
    /// Requesting subject.
    public let subjectID: String
    /// Target object.
    public let objectID: String
    /// Requested operation.
    public let operation: IPCOperation
    /// Why it was denied.
    public let reason: String

    /// One line: sequence, subject, operation, object and reason.
    public var description: String { "#\(sequence) DENY \(subjectID) \(operation.rawValue) \(objectID): \(reason)" }
}

/// Thrown when the monitor denies an operation.
public struct AccessDenied: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    /// The audit record written for this denial.
    public let record: AuditRecord
    /// What went wrong and what to do.
    public var description: String { "access denied: \(record.subjectID) may not \(record.operation.rawValue) \(record.objectID) (\(record.reason))" }
    /// Same as `description`.
    public var errorDescription: String? { description }
}
