/// A decision rule a ``ReferenceMonitor`` consults on every operation.
public protocol AccessPolicy: Sendable {
    /// Decides one request.
    /// - Returns: `nil` to allow, or the reason to deny.
    func denialReason(subject: Subject, object: IPCObject, operation: IPCOperation) -> String?
}

/// The Bell-LaPadula confidentiality policy: the simple security property (no read up: to
/// observe, the subject's label must dominate the object's) and the ★-property (no write down:
/// to alter, the object's label must dominate the subject's). An operation that both observes
/// and alters therefore needs equal labels.
public struct BellLaPadulaPolicy: AccessPolicy {
    /// Creates the policy.
    public init() {}

    /// Denies reading up and writing down; see the type's discussion.
    public func denialReason(subject: Subject, object: IPCObject, operation: IPCOperation) -> String? {
        if operation.observes && !subject.label.dominates(object.label) {
            return "no read up: \(subject.label) does not dominate \(object.label)"
        }
        if operation.alters && !object.label.dominates(subject.label) {
            return "no write down: \(object.label) does not dominate \(subject.label)"
        }
        return nil
    }
}
