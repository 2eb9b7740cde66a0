/// A variable shared between threads, for data that a lock protects.
///
/// Under the controlled engine every ``load(file:line:)`` and ``store(_:file:line:)`` is a
/// scheduling point, so an unprotected read-modify-write (`count.value += 1` outside a lock)
/// loses updates in some explored schedule; under the TSO simulation a store waits in the
/// thread's store buffer until flushed. Under the native engine access is plain memory with no
/// ordering or atomicity: protect it with a ``Lock`` (or use ``AtomicInt``).
///
/// There is deliberately no `value` property: `load()` and `store(_:)` take the caller's
/// `file:line`, so a trace points at the line that raced.
///
/// - Complexity: O(1) per access, plus the cost of copying `Value`.
public final class Shared<Value>: RuntimeObject, @unchecked Sendable {
    // Safety: not thread-safe by design, and documented so: it models plain shared memory.
    // Callers synchronize (a Lock), which is exactly what the course's exercises check.
    var storage: Value

    /// Creates a shared variable; `name` appears in controlled traces.
    public init(_ initial: Value, name: String? = nil) {
        storage = initial
        super.init(name: name, kind: "shared")
    }

    /// Reads the value (a scheduling point under the controlled engine).
    public func load(file: StaticString = #fileID, line: UInt = #line) -> Value {
        guard let scheduler = ControlledScheduler.active else { return storage }
        scheduler.decide(yielding: false)
        scheduler.access(self, write: false)
        let label = controlledLabel(scheduler)
        if scheduler.weakMemory {
            // Plain memory races are undefined in C11; reading any store the thread has not
            // seen superseded (as a relaxed load) is the behaviour they show in practice.
            let location = SourceLocation(file: file, line: line)
            let (value, stale) = scheduler.weakLoad(self, label: label, ordering: .relaxed, location: location) { storage }
            scheduler.record(.load, stale.map { "\(label) \($0)" } ?? label, location)
            return value as! Value
        }
        scheduler.record(.load, label, SourceLocation(file: file, line: line))
        if scheduler.bufferingStores, let forwarded = scheduler.forwardedValue(for: ObjectIdentifier(self)) {
            return forwarded as! Value
        }
        return storage
    }

    /// Writes the value (a scheduling point under the controlled engine).
    public func store(_ newValue: Value, file: StaticString = #fileID, line: UInt = #line) {
        guard let scheduler = ControlledScheduler.active else {
            storage = newValue
            return
        }
        scheduler.decide(yielding: false)
        scheduler.access(self, write: true)
        let label = controlledLabel(scheduler)
        scheduler.record(.store, label, SourceLocation(file: file, line: line))
        if scheduler.weakMemory {
            scheduler.weakStore(self, label: label, value: newValue, ordering: .relaxed) { storage }
            storage = newValue
        } else if scheduler.bufferingStores {
            scheduler.bufferStore(object: ObjectIdentifier(self), label: label, value: newValue) { [self] in
                storage = newValue
            }
        } else {
            storage = newValue
        }
    }
}
