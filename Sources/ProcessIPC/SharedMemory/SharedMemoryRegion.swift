#if canImport(Glibc)
import Glibc
#endif

/// A POSIX shared memory object mapped into this process (`shm_open` + `ftruncate` + `mmap`).
///
/// Create it in one process with ``create(name:size:)``, open it by name in another with
/// ``open(name:minimumSize:)``, or hand its descriptor to a spawned peer (see ``descriptor``)
/// and map it there with ``map(descriptor:)``. The mapping is `MAP_SHARED`: a store in one
/// process is visible to the other, but **no ordering is implied** — synchronize with
/// ``SharedMutex``, ``NamedSemaphore`` or atomics placed in the region.
///
/// Cleanup: the mapping is removed when the object is released. A region made by ``create``
/// unlinks its name when released unless ``unlinkOnRelease`` is cleared; every failure path
/// closes and unlinks what it created, so no object is left in `/dev/shm`.
///
/// Not thread-safe for mutation of the object itself; the mapped bytes follow whatever
/// synchronization the caller uses.
public final class SharedMemoryRegion {
    /// The POSIX name (`/turnstile-...`), or nil for a region mapped from a descriptor.
    public let name: String?
    /// The mapped size in bytes.
    public let size: Int
    /// The start of the mapping (page aligned).
    public let baseAddress: UnsafeMutableRawPointer
    /// Whether releasing this object unlinks ``name`` (true for the creator).
    public var unlinkOnRelease: Bool
    /// A close-on-exec descriptor for the object, kept open so it can be passed to a peer.
    public private(set) var descriptor: Int32

    private init(name: String?, size: Int, base: UnsafeMutableRawPointer, descriptor: Int32, owner: Bool) {
        self.name = name
        self.size = size
        self.baseAddress = base
        self.descriptor = descriptor
        self.unlinkOnRelease = owner
    }

    /// Creates a new zero-filled shared memory object and maps it.
    /// - Parameters:
    ///   - name: a POSIX name such as `IPCName.unique("ring")`; it must not exist yet.
    ///   - size: the size in bytes, greater than zero.
    /// - Throws: ``IPCError`` `.alreadyExists` if the name is taken, `.invalidSize`, or `.systemCall`.
    public static func create(name: String, size: Int) throws -> SharedMemoryRegion {
        try IPCName.validate(name, "shm_open \(name)")
        guard size > 0 else { throw IPCError(.invalidSize, "create shared memory \(name)", detail: "size \(size)") }
        let fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IPCError.system("shm_open \(name)") }
        ResourceLedger.recordSharedMemory(name)
        do {
            guard ftruncate(fd, off_t(size)) == 0 else { throw IPCError.system("ftruncate \(name) to \(size) bytes") }
            return try mapped(name: name, fd: fd, size: size, owner: true)
        } catch {
            close(fd)
            shm_unlink(name)
            throw error
        }
    }

    /// Opens an existing shared memory object by name and maps all of it.
    /// - Parameters:
    ///   - name: the name the creator used.
    ///   - minimumSize: the least size the caller's layout needs; a smaller object is rejected.
    /// - Throws: ``IPCError`` `.notFound`, `.invalidSize` if smaller than `minimumSize`, or `.systemCall`.
    public static func open(name: String, minimumSize: Int = 1) throws -> SharedMemoryRegion {
        try IPCName.validate(name, "shm_open \(name)")
        let fd = shm_open(name, O_RDWR | O_CLOEXEC, 0)
        guard fd >= 0 else { throw IPCError.system("shm_open \(name)") }
        do {
            return try mapped(name: name, fd: fd, size: try objectSize(fd, minimumSize, name), owner: false)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Maps a shared memory object from a descriptor (for example one inherited from the parent).
    /// The region takes its own duplicate; the caller keeps ownership of `descriptor`.
    /// - Throws: ``IPCError`` `.invalidSize` if smaller than `minimumSize`, or `.systemCall`.
    public static func map(descriptor: Int32, minimumSize: Int = 1) throws -> SharedMemoryRegion {
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
        guard fd >= 0 else { throw IPCError.system("dup shared memory descriptor \(descriptor)") }
        do {
            let size = try objectSize(fd, minimumSize, "descriptor \(descriptor)")
            return try mapped(name: nil, fd: fd, size: size, owner: false)
        } catch {
            close(fd)
            throw error
        }
    }

    private static func objectSize(_ fd: Int32, _ minimumSize: Int, _ label: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IPCError.system("fstat \(label)") }
        let size = Int(info.st_size)
        guard size >= max(1, minimumSize) else {
            throw IPCError(
                .invalidSize, "map shared memory \(label)",
                detail: "object has \(size) bytes, layout needs \(minimumSize)")
        }
        return size
    }

    private static func mapped(name: String?, fd: Int32, size: Int, owner: Bool) throws -> SharedMemoryRegion {
        let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let base, base != MAP_FAILED else { throw IPCError.system("mmap \(name ?? "shared memory") (\(size) bytes)") }
        ResourceLedger.recordDescriptor(fd)
        return SharedMemoryRegion(name: name, size: size, base: base, descriptor: fd, owner: owner)
    }

    /// Removes the name now (the mapping stays valid until released). Safe to call twice.
    /// - Throws: ``IPCError`` if the name exists but cannot be removed.
    public func unlink() throws {
        guard let name else { return }
        unlinkOnRelease = false
        if shm_unlink(name) != 0 && errno != ENOENT { throw IPCError.system("shm_unlink \(name)") }
    }

    /// Removes `name` if it exists; for cleanup of objects left by a crashed run.
    /// - Returns: whether an object was removed.
    @discardableResult
    public static func unlink(name: String) -> Bool { shm_unlink(name) == 0 }

    /// Closes the kept descriptor early (the mapping stays valid); after this ``descriptor`` is -1.
    public func closeDescriptor() { FileDescriptorIO.closeOnce(&descriptor) }

    deinit {
        munmap(baseAddress, size)
        FileDescriptorIO.closeOnce(&descriptor)
        if unlinkOnRelease, let name { shm_unlink(name) }
    }
}
