import ProcessIPC

/// A ``RawMemoryRegion`` over a ProcessIPC `SharedMemoryRegion` (a POSIX shm mapping), whole or
/// a byte range of it, so an ``EncryptedSharedRegion`` keeps its sealed slots in memory that
/// other processes map too.
///
/// Each process wraps its own mapping of the same object (created with
/// `SharedMemoryRegion.create(name:size:)`, opened with `open(name:minimumSize:)`, or mapped from
/// an inherited descriptor with `map(descriptor:minimumSize:)`) and builds its own
/// ``EncryptedSharedRegion`` over it with the shared key. A range leaves the rest of the object
/// for other layouts, such as a `SharedMutex` that orders writers and readers.
///
/// The wrapper keeps the mapping alive for its own lifetime; releasing the last reference
/// unmaps it (and, for the creator, unlinks the name unless that was done already).
public final class SharedMemoryRawRegion: RawMemoryRegion, @unchecked Sendable {
    // Safe to share: both stored properties are immutable after `init`; the mapping object is only
    // kept alive, never called again, and access to the mapped bytes is the caller's to synchronize,
    // exactly as for any other process holding the mapping (the same contract as HeapMemoryRegion).
    /// The mapped bytes this region covers.
    public let bytes: UnsafeMutableRawBufferPointer
    private let mapping: SharedMemoryRegion

    /// Covers `count` bytes of `mapping` starting at `offset`.
    /// - Parameters:
    ///   - mapping: this process's mapping; the wrapper keeps it alive.
    ///   - offset: where the covered bytes start; 0 by default.
    ///   - count: how many bytes to cover; nil covers everything from `offset` to the end.
    /// - Throws: `IPCError` `.invalidSize` when the range lies outside the mapping.
    public init(_ mapping: SharedMemoryRegion, offset: Int = 0, count: Int? = nil) throws {
        bytes = try mapping.bytes(at: offset, count: count ?? mapping.size - offset)
        self.mapping = mapping
    }
}
