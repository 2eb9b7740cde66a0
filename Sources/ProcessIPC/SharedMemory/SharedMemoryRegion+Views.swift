/// Typed and raw views of a region, bounds-checked against its size.
extension SharedMemoryRegion {
    /// The whole region as raw bytes, for the duration of `body`.
    /// - Complexity: O(1); no copy.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: baseAddress, count: size))
    }

    /// A raw view of `count` bytes at `offset`.
    /// - Throws: ``IPCError`` `.invalidSize` if the range is outside the region.
    public func bytes(at offset: Int, count: Int) throws -> UnsafeMutableRawBufferPointer {
        try checkRange(offset: offset, count: count, alignment: 1, what: "\(count) bytes")
        return UnsafeMutableRawBufferPointer(start: baseAddress + offset, count: count)
    }

    /// A typed view of `count` values of `T` at `offset`, which must be aligned for `T`.
    ///
    /// The memory is bound to `T`; use only trivial types (integers, floats, tuples and structs
    /// of them) since another process reads the same bytes without running any Swift code.
    /// - Throws: ``IPCError`` `.invalidSize` if out of range, `.invalidArgument` if misaligned.
    public func buffer<T: BitwiseCopyable>(
        of type: T.Type, at offset: Int = 0, count: Int
    ) throws -> UnsafeMutableBufferPointer<T> {
        try checkRange(
            offset: offset, count: count * MemoryLayout<T>.stride,
            alignment: MemoryLayout<T>.alignment, what: "\(count) × \(T.self)")
        let start = (baseAddress + offset).bindMemory(to: T.self, capacity: count)
        return UnsafeMutableBufferPointer(start: start, count: count)
    }

    /// A pointer to one `T` at `offset` (see ``buffer(of:at:count:)`` for the rules).
    public func pointer<T: BitwiseCopyable>(to type: T.Type, at offset: Int = 0) throws -> UnsafeMutablePointer<T> {
        try buffer(of: type, at: offset, count: 1).baseAddress!
    }

    func checkRange(offset: Int, count: Int, alignment: Int, what: String) throws {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw IPCError(
                .invalidSize, "view of shared memory \(name ?? "")",
                detail: "\(what) at offset \(offset) exceeds the region's \(size) bytes")
        }
        guard Int(bitPattern: baseAddress + offset) % alignment == 0 else {
            throw IPCError(
                .invalidArgument, "view of shared memory \(name ?? "")",
                detail: "offset \(offset) is not aligned to \(alignment) bytes for \(what)")
        }
    }
}
