import Foundation

/// Adjacent fixed-size fields in one allocation, with a random canary before, between and after
/// them, like a hardened allocator's heap: a write that runs past a field's end lands in the
/// canary that separates it from its neighbour, and ``verifyCanaries()`` reports it.
///
/// Layout: `canary | field 0 | canary | field 1 | … | field n-1 | canary`. Checked writes
/// (``write(_:field:offset:)``) refuse to cross a field's bounds. ``uncheckedWrite(_:field:offset:)``
/// copies like C's `memcpy` without a bounds check, to demonstrate the overflow the canaries catch.
/// Not thread-safe.
public final class GuardedBuffer {
    /// Bytes of canary between fields.
    public static let canarySize = 8
    /// Number of fields.
    public let fieldCount: Int
    /// Bytes per field.
    public let fieldSize: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let canary: [UInt8]

    /// Allocates zeroed fields separated by a fresh random canary.
    public init(fieldCount: Int, fieldSize: Int) {
        precondition(fieldCount > 0 && fieldSize > 0)
        self.fieldCount = fieldCount
        self.fieldSize = fieldSize
        var generator = SystemRandomNumberGenerator()
        canary = (0..<Self.canarySize).map { _ in generator.next() }
        storage = .allocate(byteCount: Self.canarySize + fieldCount * (fieldSize + Self.canarySize), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        for index in 0...fieldCount { UnsafeMutableRawBufferPointer(rebasing: storage[canaryRange(index)]).copyBytes(from: canary) }
    }

    deinit {
        Zeroize.bytes(storage)
        storage.deallocate()
    }

    private func canaryRange(_ index: Int) -> Range<Int> {
        let start = index * (fieldSize + Self.canarySize)
        return start..<(start + Self.canarySize)
    }

    private func fieldStart(_ index: Int) -> Int { index * (fieldSize + Self.canarySize) + Self.canarySize }

    /// Writes inside one field.
    /// - Throws: ``GuardedBufferError/outOfBounds(field:offset:length:fieldSize:)`` if the bytes
    ///   would cross the field's end (nothing is written), ``GuardedBufferError/noSuchField(_:)``.
    public func write(_ bytes: [UInt8], field: Int, offset: Int = 0) throws {
        guard field >= 0 && field < fieldCount else { throw GuardedBufferError.noSuchField(field) }
        guard offset >= 0, offset <= fieldSize, bytes.count <= fieldSize - offset else {
            throw GuardedBufferError.outOfBounds(field: field, offset: offset, length: bytes.count, fieldSize: fieldSize)
        }
        let start = fieldStart(field) + offset
        UnsafeMutableRawBufferPointer(rebasing: storage[start..<(start + bytes.count)]).copyBytes(from: bytes)
    }

    /// Copies without a bounds check, as a buggy C `memcpy` would (clipped only to the
    /// allocation, so the demonstration cannot corrupt the process). For demonstrations only.
    public func uncheckedWrite(_ bytes: [UInt8], field: Int, offset: Int = 0) {
        let start = min(fieldStart(field) + offset, storage.count)
        let end = min(start + bytes.count, storage.count)
        UnsafeMutableRawBufferPointer(rebasing: storage[start..<end]).copyBytes(from: bytes.prefix(end - start))
    }

    /// Reads a field after checking the canaries on both sides of it.
    /// - Throws: ``GuardedBufferError/overflowDetected(canary:)``, ``GuardedBufferError/noSuchField(_:)``.
    public func read(field: Int) throws -> [UInt8] {
        guard field >= 0 && field < fieldCount else { throw GuardedBufferError.noSuchField(field) }
        for index in [field, field + 1] where !storage[canaryRange(index)].elementsEqual(canary) {
            throw GuardedBufferError.overflowDetected(canary: index)
        }
        return Array(storage[fieldStart(field)..<(fieldStart(field) + fieldSize)])
    }

    /// Checks every canary.
    /// - Throws: ``GuardedBufferError/overflowDetected(canary:)`` naming the first damaged canary
    ///   (canary *i* sits just before field *i*; the last one after the last field).
    public func verifyCanaries() throws {
        for index in 0...fieldCount where !storage[canaryRange(index)].elementsEqual(canary) {
            throw GuardedBufferError.overflowDetected(canary: index)
        }
    }
}

/// Why a guarded buffer refused an access.
public enum GuardedBufferError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// A checked write would have crossed its field's bounds.
    case outOfBounds(field: Int, offset: Int, length: Int, fieldSize: Int)
    /// A canary changed: something wrote past a field's end (or before its start).
    case overflowDetected(canary: Int)
    /// The field index is out of range.
    case noSuchField(Int)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .outOfBounds(let field, let offset, let length, let size):
            "write of \(length) bytes at offset \(offset) exceeds field \(field) (\(size) bytes)"
        case .overflowDetected(let canary):
            "canary \(canary) is damaged: a write overflowed into the neighbouring field; treat the memory as corrupted"
        case .noSuchField(let field): "no field \(field)"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
