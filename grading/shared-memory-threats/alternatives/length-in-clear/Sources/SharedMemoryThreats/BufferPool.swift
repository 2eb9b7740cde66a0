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


/// Canary-separated buffers handed out round-robin (next free buffer after the last one handed
/// out). Release checks the canaries first, then zeroes and frees the buffer in any case, then
/// reports what it found.
public final class BufferPool: @unchecked Sendable {
    /// Bytes of every canary.
    public static let canarySize = 8
    private let memory: SharedBytes
    private let bufferSize: Int
    private let count: Int
    private let canary: [UInt8]
    private let lock = Lock(name: "pool")
    private let inUse = Shared<Set<Int>>([], name: "inUse")
    private let cursor = Shared(0, name: "cursor")

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
        self.bufferSize = bufferSize
        self.count = count
        self.canary = canary
        for index in 0...count { memory.store(canary, at: index * (bufferSize + Self.canarySize)) }
        for index in 0..<count { zero(index) }
    }

    private func offset(_ buffer: Int) -> Int { buffer * (bufferSize + Self.canarySize) + Self.canarySize }

    /// Zeroes a buffer eight bytes at a time.
    private func zero(_ buffer: Int) {
        var done = 0
        while done < bufferSize {
            let chunk = min(8, bufferSize - done)
            memory.store(Array(repeating: 0, count: chunk), at: offset(buffer) + done)
            done += chunk
        }
    }

    private func brokenCanary(around buffer: Int) -> Int? {
        for index in [buffer, buffer + 1] where memory.load(at: index * (bufferSize + Self.canarySize), count: Self.canarySize) != canary {
            return index
        }
        return nil
    }

    private func owned(_ buffer: Int) throws(PoolError) {
        guard buffer >= 0, buffer < count else { throw .noSuchBuffer }
        guard inUse.load().contains(buffer) else { throw .notAcquired }
    }

    /// Takes the next free buffer after the last one handed out, or nil.
    public func acquire() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let used = inUse.load()
        let start = cursor.load()
        for step in 0..<count {
            let candidate = (start + step) % count
            if !used.contains(candidate) {
                inUse.store(used.union([candidate]))
                cursor.store((candidate + 1) % count)
                return candidate
            }
        }
        return nil
    }

    /// Writes inside an acquired buffer.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        let (end, overflow) = offset.addingReportingOverflow(bytes.count)
        guard offset >= 0, !overflow, end <= bufferSize else { throw .outOfBounds }
        memory.store(bytes, at: self.offset(buffer) + offset)
    }

    /// The whole of an acquired buffer, after checking its canaries.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        if let broken = brokenCanary(around: buffer) { throw .overflowDetected(canary: broken) }
        return memory.load(at: offset(buffer), count: bufferSize)
    }

    /// Checks the canaries, zeroes and frees the buffer, then reports a broken canary.
    public func release(_ buffer: Int) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try owned(buffer)
        let broken = brokenCanary(around: buffer)
        zero(buffer)
        inUse.store(inUse.load().subtracting([buffer]))
        if let broken { throw .overflowDetected(canary: broken) }
    }

    /// Checks every canary.
    public func verify() throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0...count where memory.load(at: index * (bufferSize + Self.canarySize), count: Self.canarySize) != canary {
            throw .overflowDetected(canary: index)
        }
    }
}
