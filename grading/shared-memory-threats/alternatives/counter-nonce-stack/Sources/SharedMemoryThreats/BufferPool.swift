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
/// A correct alternative: free buffers are kept on a stack (the most recently released is
/// handed out first), each buffer is zeroed byte range by byte range as it is released, and
/// canaries are compared whole. Thread-safe: one `Lock`.
public final class BufferPool: @unchecked Sendable {
    // Safety: all state here is touched only while holding `lock`.

    /// Bytes of every canary.
    public static let canarySize = 8
    private let memory: SharedBytes
    private let size: Int
    private let buffers: Int
    private let canary: [UInt8]
    private let lock = Lock(name: "pool")
    private let free: Shared<[Int]>
    private let inUse = Shared<Set<Int>>([], name: "inUse")

    /// Bytes a mapping needs for this pool.
    public static func requiredByteCount(bufferSize: Int, count: Int) -> Int {
        canarySize + count * (bufferSize + canarySize)
    }

    /// Lays the pool over `memory`.
    /// - Throws: ``PoolError/regionTooSmall``.
    public init(memory: SharedBytes, bufferSize: Int, count: Int, canary: [UInt8]) throws(PoolError) {
        if bufferSize <= 0 || count < 0 || canary.count != Self.canarySize || memory.count < Self.requiredByteCount(bufferSize: bufferSize, count: count) {
            throw .regionTooSmall
        }
        self.memory = memory
        size = bufferSize
        buffers = count
        self.canary = canary
        free = Shared(Array((0..<count).reversed()), name: "free")
        memory.store(canary, at: 0)
        for index in 0..<count {
            memory.store([UInt8](repeating: 0, count: bufferSize) + canary, at: start(of: index))
        }
    }

    private func start(of buffer: Int) -> Int { Self.canarySize + buffer * (size + Self.canarySize) }

    private func intact(_ canaryIndex: Int) -> Bool {
        memory.load(at: canaryIndex * (size + Self.canarySize), count: Self.canarySize) == canary
    }

    private func owned(_ buffer: Int) throws(PoolError) {
        if buffer < 0 || buffer >= buffers { throw .noSuchBuffer }
        if !inUse.load().contains(buffer) { throw .notAcquired }
    }

    /// Takes the most recently released free buffer, or nil.
    public func acquire() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var stack = free.load()
        guard let buffer = stack.popLast() else { return nil }
        free.store(stack)
        inUse.store(inUse.load().union([buffer]))
        return buffer
    }

    /// Writes inside an acquired buffer.
    /// - Throws: ``PoolError``.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        if offset < 0 || offset + bytes.count > size { throw .outOfBounds }
        memory.store(bytes, at: start(of: buffer) + offset)
    }

    /// Reads an acquired buffer.
    /// - Throws: ``PoolError``.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        if !intact(buffer) { throw .overflowDetected(canary: buffer) }
        if !intact(buffer + 1) { throw .overflowDetected(canary: buffer + 1) }
        return memory.load(at: start(of: buffer), count: size)
    }

    /// Zeroes and frees an acquired buffer; then checks its canaries.
    /// - Throws: ``PoolError``.
    public func release(_ buffer: Int) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        var offset = 0
        while offset < size {
            let chunk = min(8, size - offset)
            memory.store([UInt8](repeating: 0, count: chunk), at: start(of: buffer) + offset)
            offset += chunk
        }
        inUse.store(inUse.load().subtracting([buffer]))
        free.store(free.load() + [buffer])
        if !intact(buffer) { throw .overflowDetected(canary: buffer) }
        if !intact(buffer + 1) { throw .overflowDetected(canary: buffer + 1) }
    }

    /// Checks every canary.
    /// - Throws: ``PoolError/overflowDetected(canary:)``.
    public func verify() throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0...buffers where !intact(index) { throw .overflowDetected(canary: index) }
    }
}
