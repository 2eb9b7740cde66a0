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


/// Canary-separated buffers with a state per buffer. Every operation on a buffer, writes
/// included, first checks the canaries around it; a buffer is zeroed on release and again on
/// acquire.
public final class BufferPool: @unchecked Sendable {
    enum State { case free, held }

    /// Bytes of every canary.
    public static let canarySize = 8
    private let memory: SharedBytes
    private let bufferSize: Int
    private let count: Int
    private let canary: [UInt8]
    private let lock = Lock(name: "pool")
    private let states: Shared<[State]>

    /// Bytes a mapping needs for this pool.
    public static func requiredByteCount(bufferSize: Int, count: Int) -> Int {
        (count + 1) * canarySize + count * bufferSize
    }

    /// Lays the pool over `memory`.
    public init(memory: SharedBytes, bufferSize: Int, count: Int, canary: [UInt8]) throws(PoolError) {
        if bufferSize < 1 || count < 0 || canary.count != Self.canarySize { throw .regionTooSmall }
        if memory.count < Self.requiredByteCount(bufferSize: bufferSize, count: count) { throw .regionTooSmall }
        self.memory = memory
        self.bufferSize = bufferSize
        self.count = count
        self.canary = canary
        states = Shared(Array(repeating: .free, count: count), name: "states")
        memory.store(canary, at: 0)
        for index in 0..<count {
            memory.store(Array(repeating: 0, count: bufferSize), at: start(index))
            memory.store(canary, at: start(index) + bufferSize)
        }
    }

    private func start(_ buffer: Int) -> Int { Self.canarySize + buffer * (bufferSize + Self.canarySize) }
    private func canaryAt(_ index: Int) -> Int { index * (bufferSize + Self.canarySize) }

    private func checkGuards(_ buffer: Int) throws(PoolError) {
        for index in buffer...(buffer + 1) where memory.load(at: canaryAt(index), count: Self.canarySize) != canary {
            throw .overflowDetected(canary: index)
        }
    }

    private func held(_ buffer: Int) throws(PoolError) {
        guard (0..<count).contains(buffer) else { throw .noSuchBuffer }
        guard states.load()[buffer] == .held else { throw .notAcquired }
    }

    /// Takes the lowest free buffer, or nil.
    public func acquire() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var all = states.load()
        guard let buffer = all.firstIndex(of: .free) else { return nil }
        all[buffer] = .held
        states.store(all)
        memory.store(Array(repeating: 0, count: bufferSize), at: start(buffer))
        return buffer
    }

    /// Writes inside an acquired buffer whose canaries are intact.
    public func write(_ bytes: [UInt8], to buffer: Int, at offset: Int = 0) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try held(buffer)
        guard offset >= 0, offset <= bufferSize, bufferSize - offset >= bytes.count else { throw .outOfBounds }
        try checkGuards(buffer)
        memory.store(bytes, at: start(buffer) + offset)
    }

    /// The whole of an acquired buffer, after checking its canaries.
    public func read(_ buffer: Int) throws(PoolError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try held(buffer)
        try checkGuards(buffer)
        return memory.load(at: start(buffer), count: bufferSize)
    }

    /// Zeroes and frees an acquired buffer, then checks its canaries.
    public func release(_ buffer: Int) throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        try held(buffer)
        memory.store(Array(repeating: 0, count: bufferSize), at: start(buffer))
        var all = states.load()
        all[buffer] = .free
        states.store(all)
        try checkGuards(buffer)
    }

    /// Checks every canary, one by one.
    public func verify() throws(PoolError) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0...count where memory.load(at: canaryAt(index), count: Self.canarySize) != canary {
            throw .overflowDetected(canary: index)
        }
    }
}
