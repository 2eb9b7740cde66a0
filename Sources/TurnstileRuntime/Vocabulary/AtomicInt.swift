import Synchronization

/// An atomic integer shared between threads.
///
/// Every operation is atomic under both engines and takes an explicit ``MemoryOrdering``
/// (sequentially consistent by default). Under the controlled engine each operation is a
/// scheduling point; with the TSO simulation a store that is not sequentially consistent is
/// buffered until flushed, and read-modify-writes drain the buffer first.
///
/// - Complexity: O(1); natively one hardware atomic instruction.
public final class AtomicInt: RuntimeObject, @unchecked Sendable {
    // Safety: natively a `Synchronization.Atomic`; under the controlled engine only one
    // logical thread runs at a time.
    let native: Atomic<Int>

    /// Creates an atomic integer; `name` appears in controlled traces.
    public init(_ initial: Int = 0, name: String? = nil) {
        native = Atomic(initial)
        super.init(name: name, kind: "atomic")
    }

    /// Reads the value.
    public func load(
        ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID, line: UInt = #line
    ) -> Int {
        guard let scheduler = ControlledScheduler.active else { return nativeLoad(ordering) }
        scheduler.decide(yielding: false)
        scheduler.access(self, write: false)
        if scheduler.weakMemory {
            let label = controlledLabel(scheduler)
            let location = SourceLocation(file: file, line: line)
            let (value, stale) = scheduler.weakLoad(self, label: label, ordering: ordering, location: location) {
                native.load(ordering: .relaxed)
            }
            scheduler.record(.load, stale.map { "\(label) \($0)" } ?? label, location)
            return value as! Int
        }
        scheduler.record(.load, controlledLabel(scheduler), SourceLocation(file: file, line: line))
        if scheduler.bufferingStores, let forwarded = scheduler.forwardedValue(for: ObjectIdentifier(self)) {
            return forwarded as! Int
        }
        return native.load(ordering: .relaxed)
    }

    /// Writes the value.
    public func store(
        _ value: Int, ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID,
        line: UInt = #line
    ) {
        guard let scheduler = ControlledScheduler.active else {
            nativeStore(value, ordering)
            return
        }
        scheduler.decide(yielding: false)
        scheduler.access(self, write: true)
        let label = controlledLabel(scheduler)
        scheduler.record(.store, label, SourceLocation(file: file, line: line))
        if scheduler.weakMemory {
            scheduler.weakStore(self, label: label, value: value, ordering: ordering) { native.load(ordering: .relaxed) }
            native.store(value, ordering: .relaxed)
        } else if scheduler.bufferingStores {
            scheduler.bufferStore(object: ObjectIdentifier(self), label: label, value: value) { [self] in
                native.store(value, ordering: .relaxed)
            }
            // x86 implements a sequentially consistent store as a store and a full fence.
            if ordering == .sequentiallyConsistent { scheduler.drainCurrentBuffer() }
        } else {
            native.store(value, ordering: .relaxed)
        }
    }

    /// Adds `delta` and returns the value before the addition (wrapping on overflow).
    @discardableResult
    public func fetchAdd(
        _ delta: Int, ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID,
        line: UInt = #line
    ) -> Int {
        guard let scheduler = ControlledScheduler.active else {
            return nativeAdd(delta, ordering)
        }
        beginReadModifyWrite(scheduler, file: file, line: line)
        let (old, new) = native.wrappingAdd(delta, ordering: .relaxed)
        if scheduler.weakMemory { scheduler.weakReadModifyWrite(self, label: controlledLabel(scheduler), ordering: ordering, old: old, new: new) }
        return old
    }

    /// Stores `desired` and returns the previous value.
    @discardableResult
    public func exchange(
        _ desired: Int, ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID,
        line: UInt = #line
    ) -> Int {
        guard let scheduler = ControlledScheduler.active else {
            return nativeExchange(desired, ordering)
        }
        beginReadModifyWrite(scheduler, file: file, line: line)
        let old = native.exchange(desired, ordering: .relaxed)
        if scheduler.weakMemory { scheduler.weakReadModifyWrite(self, label: controlledLabel(scheduler), ordering: ordering, old: old, new: desired) }
        return old
    }

    /// Stores `desired` if the value is `expected`.
    /// - Returns: whether it was exchanged, and the value that was found.
    public func compareExchange(
        expected: Int, desired: Int, ordering: MemoryOrdering = .sequentiallyConsistent,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (exchanged: Bool, original: Int) {
        guard let scheduler = ControlledScheduler.active else {
            return nativeCompareExchange(expected, desired, ordering)
        }
        beginReadModifyWrite(scheduler, file: file, line: line)
        let result = native.compareExchange(expected: expected, desired: desired, ordering: .relaxed)
        if scheduler.weakMemory {
            scheduler.weakReadModifyWrite(
                self, label: controlledLabel(scheduler), ordering: ordering, old: result.original,
                new: result.exchanged ? desired : nil)
        }
        return result
    }

    private func beginReadModifyWrite(_ scheduler: ControlledScheduler, file: StaticString, line: UInt) {
        scheduler.decide(yielding: false)
        scheduler.access(self, write: true)
        scheduler.drainCurrentBuffer()
        scheduler.record(.readModifyWrite, controlledLabel(scheduler), SourceLocation(file: file, line: line))
    }
}
