import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed span of raw bytes that may be shared with other processes (a shm mapping, see
/// ``SharedMemoryRawRegion``) or not (``HeapMemoryRegion``). ``EncryptedSharedRegion`` stores
/// only ciphertext in it.
///
/// The region's owner keeps the bytes alive; the pointer is stable for the region's lifetime.
/// Anyone else with the mapping may read or write the bytes at any time: treat them as hostile.
public protocol RawMemoryRegion: AnyObject, Sendable {
    /// The mapped bytes.
    var bytes: UnsafeMutableRawBufferPointer { get }
}

/// A ``RawMemoryRegion`` on the heap, zero-filled on creation and zeroized before it is freed.
public final class HeapMemoryRegion: RawMemoryRegion, @unchecked Sendable {
    // Safe to share: the pointer never changes; synchronizing access to the bytes is the user's
    // job, exactly as for a shared-memory mapping.
    /// The allocated bytes.
    public let bytes: UnsafeMutableRawBufferPointer

    /// Allocates `byteCount` zeroed bytes.
    public init(byteCount: Int) {
        bytes = .allocate(byteCount: byteCount, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        Zeroize.bytes(bytes)
        bytes.deallocate()
    }
}

/// Clearing memory in a way the optimizer may not remove.
enum Zeroize {
    static func bytes(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        explicit_bzero(base, buffer.count)
    }
}
