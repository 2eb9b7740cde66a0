/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// A mapping's accessors, as the checks hand them over (the checks own the bytes).
public struct MemoryAccess: Swift.Sendable {
    public let count: Swift.Int
    public let load: @Sendable (Swift.Int, Swift.Int) -> [Swift.UInt8]
    public let store: @Sendable (Swift.Int, [Swift.UInt8]) -> Swift.Void
    public init(count: Swift.Int, load: @escaping @Sendable (Swift.Int, Swift.Int) -> [Swift.UInt8], store: @escaping @Sendable (Swift.Int, [Swift.UInt8]) -> Swift.Void) {
        self.count = count
        self.load = load
        self.store = store
    }
}

/// An AEAD's two operations, as the checks hand them over (the checks own the key).
public struct SealerAccess: Swift.Sendable {
    public let seal: @Sendable ([Swift.UInt8], [Swift.UInt8], [Swift.UInt8]) -> [Swift.UInt8]
    public let open: @Sendable ([Swift.UInt8], [Swift.UInt8], [Swift.UInt8]) -> [Swift.UInt8]?
    public init(seal: @escaping @Sendable ([Swift.UInt8], [Swift.UInt8], [Swift.UInt8]) -> [Swift.UInt8],
                open: @escaping @Sendable ([Swift.UInt8], [Swift.UInt8], [Swift.UInt8]) -> [Swift.UInt8]?) {
        self.seal = seal
        self.open = open
    }
}

/// Why the region refused, as the checks name it.
public enum RegionRefusal: Swift.String, Swift.Error, Swift.Sendable {
    case regionTooSmall = "region too small", noSuchSlot = "no such slot", tooLarge = "too large", tampered, rolledBack = "rolled back"
}

/// Why the pool refused, as the checks name it.
public enum PoolRefusal: Swift.String, Swift.Error, Swift.Sendable {
    case regionTooSmall = "region too small", noSuchBuffer = "no such buffer", outOfBounds = "out of bounds", notAcquired = "not acquired", overflowDetected = "overflow detected"
}

/// An encrypted region, as the checks use it. `nil` means done.
public protocol RegionUnderTest: AnyObject, Swift.Sendable {
    func write(_ plaintext: [Swift.UInt8], toSlot index: Swift.Int) -> RegionRefusal?
    func read(slot index: Swift.Int) -> Swift.Result<[Swift.UInt8]?, RegionRefusal>
}

/// A buffer pool, as the checks use it. `nil` means done.
public protocol PoolUnderTest: AnyObject, Swift.Sendable {
    func acquire() -> Swift.Int?
    func write(_ bytes: [Swift.UInt8], to buffer: Swift.Int, at offset: Swift.Int) -> PoolRefusal?
    func read(_ buffer: Swift.Int) -> Swift.Result<[Swift.UInt8], PoolRefusal>
    func release(_ buffer: Swift.Int) -> PoolRefusal?
    func verify() -> PoolRefusal?
}

/// How the adapter builds the student's types.
public protocol ThreatsImplementation {
    static func regionByteCount(slotCount: Swift.Int, slotCapacity: Swift.Int) -> Swift.Int
    static func makeRegion(memory: MemoryAccess, slotCount: Swift.Int, slotCapacity: Swift.Int, sealer: SealerAccess) -> Swift.Result<any RegionUnderTest, RegionRefusal>
    static func poolByteCount(bufferSize: Swift.Int, count: Swift.Int) -> Swift.Int
    static func makePool(memory: MemoryAccess, bufferSize: Swift.Int, count: Swift.Int, canary: [Swift.UInt8]) -> Swift.Result<any PoolUnderTest, PoolRefusal>
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any ThreatsImplementation.Type)!
}
