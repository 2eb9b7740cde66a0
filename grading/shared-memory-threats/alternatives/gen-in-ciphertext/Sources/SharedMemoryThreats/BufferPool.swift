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


/// Canary-separated buffers with a FIFO free list: the buffer released longest ago is handed out
/// first. Zeroed when laid out and on release; canaries checked on read, release and verify.
public final class BufferPool: @unchecked Sendable {
    /// Bytes of every canary.
    public static let canarySize = 8
    private let memory: SharedBytes
    private let size: Int
    private let count: Int
    private let canary: [UInt8]
    private let lock = Lock(name: "pool")
    private let queue: Shared<[Int]>
    private let held = Shared<Set<Int>>([], name: "held")

    /// Bytes a mapping needs for this pool.
    public static func requiredByteCount(bufferSize: Int, count: Int) -> Int {
        count * bufferSize + (count + 1) * canarySize
    }

    /// Lays the pool over `memory`.
    public init(memory: SharedBytes, bufferSize: Int, count: Int, canary: [UInt8]) throws(PoolError) {
        guard bufferSize > 0, count >= 0, canary.count == Self.canarySize,
              memory.count >= Self.requiredByteCount(bufferSize: bufferSize, count: count)
        else { throw .regionTooSmall }
        self.memory = memory
        size = bufferSize
        self.count = count
        self.canary = canary
        queue = Shared(Array(0..<count), name: "queue")
        var layout: [UInt8] = canary
        for _ in 0..<count { layout += Array(repeating: 0, count: bufferSize) + canary }
        memory.store(layout, at: 0)
    }

    private func base(_ buffer: Int) -> Int { Self.canarySize + buffer * (size + Self.canarySize) }

    private func guardsIntact(_ buffer: Int) throws(PoolError) {
        let before = memory.load(at: base(buffer) - Self.canarySize, count: Self.canarySize)
        if before != canary { throw .overflowDetected(canary: buffer) }
        let after = memory.load(at: base(buffer) + size, count: Self.canarySize)
        if after != canary { throw .overflowDetected(canary: buffer + 1) }
    }

    private func mustHold(_ buffer: Int) throws(PoolError) {
        if buffer < 0 || buffer >= count { throw .noSuchBuffer }
        if !held.load().contains(buffer) { throw .notAcquired }
    }

    /// Takes the free buffer released longest ago, or nil.
    public func acquire() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var pending = queue.load()
        guard !pending.isEmpty else { return nil }
        let buffer = pending.removeFirst()
        queue.store(pending)
        held.store(held.load().union([buffer]))
        return buffer
    }

    /// Writes inside an acquired buffer.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try mustHold(buffer)
        if offset < 0 || offset > size || size - offset < bytes.count { throw .outOfBounds }
        if !bytes.isEmpty { memory.store(bytes, at: base(buffer) + offset) }
    }

    /// The whole of an acquired buffer, after checking its canaries.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try mustHold(buffer)
        try guardsIntact(buffer)
        return memory.load(at: base(buffer), count: size)
    }

    /// Zeroes and frees an acquired buffer, then checks its canaries.
    public func release(_ buffer: Int) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try mustHold(buffer)
        memory.store(Array(repeating: 0, count: size), at: base(buffer))
        held.store(held.load().subtracting([buffer]))
        queue.store(queue.load() + [buffer])
        try guardsIntact(buffer)
    }

    /// Checks every canary.
    public func verify() throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0...count where memory.load(at: index * (size + Self.canarySize), count: Self.canarySize) != canary {
            throw .overflowDetected(canary: index)
        }
    }
}
