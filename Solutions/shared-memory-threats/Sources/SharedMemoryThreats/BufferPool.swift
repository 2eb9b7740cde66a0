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
/// Layout: `canary 0 | buffer 0 | canary 1 | buffer 1 | … | buffer n-1 | canary n`, each canary
/// the pool's canary bytes. A write that crosses a buffer's bounds is refused before anything is
/// written; a write that went past a buffer by other means lands in a canary, and every read,
/// release and ``verify()`` checks the canaries around what it touches. Buffers are zeroed when
/// the pool is laid out and when released, so neither a process that maps the pool nor the next
/// user of a buffer sees what an earlier one left there. Thread-safe: one `Lock` guards the
/// acquired flags and every access to the mapping (blocking only on it).
public final class BufferPool: @unchecked Sendable {
    // Safety: `acquired` is touched, and the mapping read and written, only while holding `lock`.

    /// Bytes of every canary.
    public static let canarySize = 8
    /// Bytes per buffer.
    let bufferSize: Int
    /// Number of buffers.
    let count: Int
    private let memory: SharedBytes
    private let canary: [UInt8]
    private let lock = Lock(name: "pool")
    private let acquired: Shared<[Bool]>

    /// Bytes a mapping needs for this pool.
    public static func requiredByteCount(bufferSize: Int, count: Int) -> Int {
        count * bufferSize + (count + 1) * canarySize
    }

    /// Lays the pool over `memory`: every canary written, every buffer zeroed, none acquired.
    /// - Throws: ``PoolError/regionTooSmall``.
    public init(memory: SharedBytes, bufferSize: Int, count: Int, canary: [UInt8]) throws(PoolError) {
        guard bufferSize > 0, count >= 0, canary.count == Self.canarySize,
              memory.count >= Self.requiredByteCount(bufferSize: bufferSize, count: count)
        else { throw .regionTooSmall }
        self.memory = memory
        self.bufferSize = bufferSize
        self.count = count
        self.canary = canary
        acquired = Shared(Array(repeating: false, count: count), name: "acquired")
        for index in 0...count { memory.store(canary, at: canaryOffset(index)) }
        for index in 0..<count { memory.store(Array(repeating: 0, count: bufferSize), at: bufferOffset(index)) }
    }

    private func canaryOffset(_ index: Int) -> Int { index * (bufferSize + Self.canarySize) }
    private func bufferOffset(_ index: Int) -> Int { canaryOffset(index) + Self.canarySize }

    private func checkCanaries(around index: Int) throws(PoolError) {
        for canaryIndex in [index, index + 1] where memory.load(at: canaryOffset(canaryIndex), count: Self.canarySize) != canary {
            throw .overflowDetected(canary: canaryIndex)
        }
    }

    private func requireAcquired(_ index: Int) throws(PoolError) {
        guard index >= 0 && index < count else { throw .noSuchBuffer }
        guard acquired.load()[index] else { throw .notAcquired }
    }

    /// Takes a free buffer (all zeros), or nil when every buffer is acquired.
    public func acquire() -> Int? {
        lock.withLock {
            var flags = acquired.load()
            guard let index = flags.firstIndex(of: false) else { return nil }
            flags[index] = true
            acquired.store(flags)
            return index
        }
    }

    /// Writes `bytes` into an acquired buffer at `offset`.
    /// - Throws: ``PoolError/outOfBounds`` (nothing written), ``PoolError/notAcquired``,
    ///   ``PoolError/noSuchBuffer``.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try requireAcquired(buffer)
        guard offset >= 0, offset <= bufferSize, bytes.count <= bufferSize - offset else { throw .outOfBounds }
        memory.store(bytes, at: bufferOffset(buffer) + offset)
    }

    /// The whole of an acquired buffer, after checking the canaries on both sides.
    /// - Throws: ``PoolError/overflowDetected(canary:)``, ``PoolError/notAcquired``,
    ///   ``PoolError/noSuchBuffer``.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try requireAcquired(buffer)
        try checkCanaries(around: buffer)
        return memory.load(at: bufferOffset(buffer), count: bufferSize)
    }

    /// Zeroes an acquired buffer in the mapping and frees it, then checks the canaries on both
    /// sides (the buffer is freed and zeroed even when one was overwritten).
    /// - Throws: ``PoolError/overflowDetected(canary:)``, ``PoolError/notAcquired`` (a second
    ///   release), ``PoolError/noSuchBuffer``.
    public func release(_ buffer: Int) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try requireAcquired(buffer)
        memory.store(Array(repeating: 0, count: bufferSize), at: bufferOffset(buffer))
        var flags = acquired.load()
        flags[buffer] = false
        acquired.store(flags)
        try checkCanaries(around: buffer)
    }

    /// Checks every canary.
    /// - Throws: ``PoolError/overflowDetected(canary:)`` naming the first one overwritten.
    public func verify() throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0..<count {
            try checkCanaries(around: index)
        }
        if count == 0, memory.load(at: 0, count: Self.canarySize) != canary { throw .overflowDetected(canary: 0) }
    }
}
