import TurnstileRuntime

/// Why a pool refused.
public enum PoolError: Error, Hashable, Sendable {
    /// The mapping is smaller than the pool needs, or the canary is not ``BufferPool/canarySize`` bytes.
    case regionTooSmall
    /// No such buffer.
    case noSuchBuffer
    /// The bytes would not fit inside the buffer at that offset; nothing was written.
    case outOfBounds
    /// The buffer is not acquired (never, or released already).
    case notAcquired
    /// A canary was overwritten: something wrote past a buffer's end (or before its start).
    case overflowDetected(canary: Int)
}

/// Fixed-size buffers in shared memory, separated by canaries and zeroized when released.
///
/// Your task: read the assignment README first (the layout, and what each call must check).
/// Guard the state with the runtime's `Lock`.
public final class BufferPool: @unchecked Sendable {
    // TODO: the state you need.

    /// Bytes of every canary.
    public static let canarySize = 8

    /// Bytes a mapping needs for this pool (see the layout in the README).
    public static func requiredByteCount(bufferSize: Int, count: Int) -> Int {
        fatalError("TODO: implement requiredByteCount(bufferSize:count:)")
    }

    /// Lays the pool over `memory`: every canary written, every buffer zeroed, none acquired.
    /// - Throws: ``PoolError/regionTooSmall``.
    public init(memory: SharedBytes, bufferSize: Int, count: Int, canary: [UInt8]) throws(PoolError) {
        fatalError("TODO: implement init")
    }

    /// Takes a free buffer (all zeros), or nil when every buffer is acquired.
    public func acquire() -> Int? {
        fatalError("TODO: implement acquire()")
    }

    /// Writes `bytes` into an acquired buffer at `offset`.
    /// - Throws: ``PoolError/outOfBounds`` (nothing written), ``PoolError/notAcquired``,
    ///   ``PoolError/noSuchBuffer``.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        fatalError("TODO: implement write(_:to:at:)")
    }

    /// The whole of an acquired buffer, after checking the canaries on both sides.
    /// - Throws: ``PoolError/overflowDetected(canary:)``, ``PoolError/notAcquired``,
    ///   ``PoolError/noSuchBuffer``.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        fatalError("TODO: implement read(_:)")
    }

    /// Zeroes an acquired buffer in the mapping and frees it; checks the canaries on both sides.
    /// - Throws: ``PoolError/overflowDetected(canary:)``, ``PoolError/notAcquired`` (a second
    ///   release), ``PoolError/noSuchBuffer``.
    public func release(_ buffer: Int) throws(PoolError) {
        fatalError("TODO: implement release(_:)")
    }

    /// Checks every canary.
    /// - Throws: ``PoolError/overflowDetected(canary:)`` naming the first one overwritten.
    public func verify() throws(PoolError) {
        fatalError("TODO: implement verify()")
    }
}
