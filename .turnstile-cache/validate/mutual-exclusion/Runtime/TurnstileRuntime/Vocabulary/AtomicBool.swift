/// An atomic Boolean flag shared between threads: a thin view of ``AtomicInt`` (0 or 1), with
/// the same orderings and controlled-engine behaviour.
public final class AtomicBool: @unchecked Sendable {
    // Safety: all state is in the atomic integer.
    let storage: AtomicInt

    /// Creates a flag; `name` appears in controlled traces.
    public init(_ initial: Bool = false, name: String? = nil) {
        storage = AtomicInt(initial ? 1 : 0, name: name)
    }

    /// Reads the flag.
    public func load(
        ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID, line: UInt = #line
    ) -> Bool {
        storage.load(ordering: ordering, file: file, line: line) != 0
    }

    /// Writes the flag.
    public func store(
        _ value: Bool, ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID,
        line: UInt = #line
    ) {
        storage.store(value ? 1 : 0, ordering: ordering, file: file, line: line)
    }

    /// Sets the flag and returns its previous value (test-and-set).
    public func exchange(
        _ value: Bool, ordering: MemoryOrdering = .sequentiallyConsistent, file: StaticString = #fileID,
        line: UInt = #line
    ) -> Bool {
        storage.exchange(value ? 1 : 0, ordering: ordering, file: file, line: line) != 0
    }
}
