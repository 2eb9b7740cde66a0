import Foundation

/// A pool of fixed-size buffers that are zeroized when returned, so a buffer handed out again
/// never shows what its previous user left in it (residual-data leakage).
///
/// Zeroizing uses `explicit_bzero`, which the optimizer may not remove. Buffers are also
/// zeroized before they are freed. Thread-safe; `acquire` never blocks: when the pool is empty it
/// allocates a new buffer, and `release` keeps at most `capacity` buffers.
public final class ZeroizingBufferPool: @unchecked Sendable {
    // Safe to share: the free list is guarded by `lock`.
    /// Size of every buffer.
    public let bufferSize: Int
    /// Most buffers kept for reuse.
    public let capacity: Int
    /// Whether released buffers are cleared. Only the residual-data demonstration turns it off.
    public let zeroizesOnRelease: Bool
    private let lock = NSLock()
    private var free: [PooledBuffer] = []

    /// Creates a pool.
    /// - Parameters:
    ///   - bufferSize: bytes per buffer.
    ///   - capacity: most buffers kept for reuse.
    ///   - zeroizesOnRelease: `false` builds the insecure pool the course's demonstration
    ///     exploits; never pass it in real code.
    public init(bufferSize: Int, capacity: Int, zeroizesOnRelease: Bool = true) {
        self.bufferSize = bufferSize
        self.capacity = capacity
        self.zeroizesOnRelease = zeroizesOnRelease
    }

    /// Takes a buffer (all zeros unless the pool was built insecure).
    public func acquire() -> PooledBuffer {
        lock.withLock { free.popLast() } ?? PooledBuffer(size: bufferSize)
    }

    /// Returns a buffer: it is zeroized, then kept for reuse or freed.
    /// - Precondition: `buffer` came from this pool and is not used afterwards.
    public func release(_ buffer: PooledBuffer) {
        precondition(buffer.bytes.count == bufferSize, "buffer does not belong to this pool")
        if zeroizesOnRelease { Zeroize.bytes(buffer.bytes) }
        lock.withLock { if free.count < capacity { free.append(buffer) } }
    }

    /// Runs `body` with a buffer and returns it to the pool afterwards, even if `body` throws.
    public func withBuffer<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) rethrows -> Result {
        let buffer = acquire()
        defer { release(buffer) }
        return try body(buffer.bytes)
    }
}

/// One buffer owned by a ``ZeroizingBufferPool``.
public final class PooledBuffer: @unchecked Sendable {
    // Safe to share: the pointer is immutable; the bytes belong to whoever acquired the buffer.
    /// The buffer's bytes.
    public let bytes: UnsafeMutableRawBufferPointer

    init(size: Int) {
        bytes = .allocate(byteCount: size, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        Zeroize.bytes(bytes)
        bytes.deallocate()
    }
}
