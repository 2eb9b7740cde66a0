/// A lock that any thread may take: the spin locks and ``OwnedMutex``-like types.
public protocol MutualExclusionLock: AnyObject, Sendable {
    /// Acquires the lock, waiting until it is free.
    func lock(file: StaticString, line: UInt)
    /// Acquires the lock if it is free; never waits.
    /// - Returns: whether the caller now holds the lock.
    func tryLock(file: StaticString, line: UInt) -> Bool
    /// Releases the lock; the caller must hold it.
    func unlock(file: StaticString, line: UInt)
}

extension MutualExclusionLock {
    /// Runs `body` holding the lock, and releases it however `body` exits.
    @inlinable
    public func withLock<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) rethrows -> Result {
        lock(file: file, line: line)
        defer { unlock(file: file, line: line) }
        return try body()
    }
}

/// A lock for a fixed set of threads, each of which names itself by an index in
/// `0..<threadCapacity`: the software locks of the course (``PetersonLock``, ``FilterLock``,
/// ``BakeryLock``), which need to know who is asking.
public protocol IndexedMutualExclusionLock: AnyObject, Sendable {
    /// How many threads the lock was made for; indices are `0..<threadCapacity`.
    var threadCapacity: Int { get }
    /// Acquires the lock for thread `index`, waiting until it may enter.
    func lock(as index: Int, file: StaticString, line: UInt)
    /// Releases the lock held by thread `index`.
    func unlock(as index: Int, file: StaticString, line: UInt)
}

extension IndexedMutualExclusionLock {
    /// Runs `body` holding the lock as thread `index`, and releases it however `body` exits.
    @inlinable
    public func withLock<Result>(
        as index: Int, file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Result
    ) rethrows -> Result {
        lock(as: index, file: file, line: line)
        defer { unlock(as: index, file: file, line: line) }
        return try body()
    }
}
