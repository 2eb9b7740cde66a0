/// The memory ordering of an atomic operation.
///
/// Under the native engine these map one-to-one onto the hardware orderings of
/// `Synchronization.Atomic`. Under the controlled engine with `MemoryModel.totalStoreOrder`,
/// a store that is not `.sequentiallyConsistent` waits in its thread's store buffer until the
/// scheduler flushes it, exactly as on x86; a sequentially consistent store, every
/// read-modify-write and ``Runtime/fence(file:line:)`` drain the buffer first.
public enum MemoryOrdering: Sendable, Hashable {
    /// No ordering: only atomicity.
    case relaxed
    /// Later reads and writes stay after this load.
    case acquiring
    /// Earlier reads and writes stay before this store.
    case releasing
    /// Both, for read-modify-write operations.
    case acquiringAndReleasing
    /// A single total order over all sequentially consistent operations (a full fence).
    case sequentiallyConsistent
}
