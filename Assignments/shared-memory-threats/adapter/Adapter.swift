// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks.
import AssignmentContract
internal import SharedMemoryThreats

/// Exposes the student's `EncryptedRegion` and `BufferPool` to the checks.
public enum StudentAdapter: AssignmentContract.ThreatsImplementation {
    public static func regionByteCount(slotCount: Swift.Int, slotCapacity: Swift.Int) -> Swift.Int {
        SharedMemoryThreats.EncryptedRegion.requiredByteCount(slotCount: slotCount, slotCapacity: slotCapacity)
    }

    public static func makeRegion(
        memory: AssignmentContract.MemoryAccess, slotCount: Swift.Int, slotCapacity: Swift.Int, sealer: AssignmentContract.SealerAccess
    ) -> Swift.Result<any AssignmentContract.RegionUnderTest, AssignmentContract.RegionRefusal> {
        do {
            let region = try SharedMemoryThreats.EncryptedRegion(
                memory: shared(memory), slotCount: slotCount, slotCapacity: slotCapacity,
                sealer: SharedMemoryThreats.Sealer(seal: sealer.seal, open: sealer.open))
            return .success(AdaptedRegion(region))
        } catch {
            return .failure(regionRefusal(error))
        }
    }

    public static func poolByteCount(bufferSize: Swift.Int, count: Swift.Int) -> Swift.Int {
        SharedMemoryThreats.BufferPool.requiredByteCount(bufferSize: bufferSize, count: count)
    }

    public static func makePool(
        memory: AssignmentContract.MemoryAccess, bufferSize: Swift.Int, count: Swift.Int, canary: [Swift.UInt8]
    ) -> Swift.Result<any AssignmentContract.PoolUnderTest, AssignmentContract.PoolRefusal> {
        do {
            return .success(AdaptedPool(try SharedMemoryThreats.BufferPool(memory: shared(memory), bufferSize: bufferSize, count: count, canary: canary)))
        } catch {
            return .failure(poolRefusal(error))
        }
    }
}

func shared(_ memory: AssignmentContract.MemoryAccess) -> SharedMemoryThreats.SharedBytes {
    SharedMemoryThreats.SharedBytes(count: memory.count, load: memory.load, store: memory.store)
}

func regionRefusal(_ error: SharedMemoryThreats.RegionError) -> AssignmentContract.RegionRefusal {
    switch error {
    case .regionTooSmall: .regionTooSmall
    case .noSuchSlot: .noSuchSlot
    case .tooLarge: .tooLarge
    case .tampered: .tampered
    case .rolledBack: .rolledBack
    }
}

func poolRefusal(_ error: SharedMemoryThreats.PoolError) -> AssignmentContract.PoolRefusal {
    switch error {
    case .regionTooSmall: .regionTooSmall
    case .noSuchBuffer: .noSuchBuffer
    case .outOfBounds: .outOfBounds
    case .notAcquired: .notAcquired
    case .overflowDetected: .overflowDetected
    }
}

final class AdaptedRegion: AssignmentContract.RegionUnderTest, @unchecked Sendable {
    let base: SharedMemoryThreats.EncryptedRegion
    init(_ base: SharedMemoryThreats.EncryptedRegion) { self.base = base }
    func write(_ plaintext: [Swift.UInt8], toSlot index: Swift.Int) -> AssignmentContract.RegionRefusal? {
        do {
            try base.write(plaintext, toSlot: index)
            return nil
        } catch {
            return regionRefusal(error)
        }
    }
    func read(slot index: Swift.Int) -> Swift.Result<[Swift.UInt8]?, AssignmentContract.RegionRefusal> {
        do {
            return .success(try base.read(slot: index))
        } catch {
            return .failure(regionRefusal(error))
        }
    }
}

final class AdaptedPool: AssignmentContract.PoolUnderTest, @unchecked Sendable {
    let base: SharedMemoryThreats.BufferPool
    init(_ base: SharedMemoryThreats.BufferPool) { self.base = base }
    func acquire() -> Swift.Int? { base.acquire() }
    func write(_ bytes: [Swift.UInt8], to buffer: Swift.Int, at offset: Swift.Int) -> AssignmentContract.PoolRefusal? {
        do {
            try base.write(bytes, to: buffer, at: offset)
            return nil
        } catch {
            return poolRefusal(error)
        }
    }
    func read(_ buffer: Swift.Int) -> Swift.Result<[Swift.UInt8], AssignmentContract.PoolRefusal> {
        do {
            return .success(try base.read(buffer))
        } catch {
            return .failure(poolRefusal(error))
        }
    }
    func release(_ buffer: Swift.Int) -> AssignmentContract.PoolRefusal? {
        do {
            try base.release(buffer)
            return nil
        } catch {
            return poolRefusal(error)
        }
    }
    func verify() -> AssignmentContract.PoolRefusal? {
        do {
            try base.verify()
            return nil
        } catch {
            return poolRefusal(error)
        }
    }
}
