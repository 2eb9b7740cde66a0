import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct SynchronizationTests {
        @Test func namedSemaphoreCountsAndTimesOut() throws {
            try expectNoLeaks {
                let semaphore = try NamedSemaphore.create(name: IPCName.unique("sem"), value: 1)
                #expect(semaphore.tryWait())
                #expect(!semaphore.tryWait())
                #expect(errorCode { try semaphore.wait(timeout: .milliseconds(20)) } == .timedOut)
                try semaphore.post()
                try semaphore.post()
                #expect(semaphore.value == 2)
                try semaphore.wait(timeout: .seconds(1))
                #expect(semaphore.value == 1)
                #expect(errorCode { _ = try NamedSemaphore.create(name: semaphore.name) } == .alreadyExists)
            }
        }

        @Test func semaphorePostedByAnotherProcessWakesTheWaiter() throws {
            try expectNoLeaks {
                let semaphore = try NamedSemaphore.create(name: IPCName.unique("sem"))
                let child = try PeerProcess.spawn(try peer(), arguments: ["sem-post", semaphore.name, "3"])
                for _ in 0..<3 { try semaphore.wait(timeout: .seconds(10)) }
                #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
                #expect(!semaphore.tryWait())
            }
        }

        @Test func semaphoreNameIsGoneAfterRelease() throws {
            try expectNoLeaks {
                let name = IPCName.unique("sem")
                do { _ = try NamedSemaphore.create(name: name) }
                #expect(errorCode { _ = try NamedSemaphore.open(name: name) } == .notFound)
            }
        }

        @Test func robustMutexRecoversFromAnOwnerKilledWhileHoldingIt() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("mutex"), size: 4096)
                let mutex = try SharedMutex.initialize(in: region, at: 0)
                let child = try PeerProcess.spawn(try peer(), arguments: ["mutex-die"], passing: [region.descriptor])
                #expect(try child.wait(timeout: .seconds(10)) == .signaled(SIGKILL))
                let acquisition = try mutex.withLock(timeout: .seconds(5)) { $0 }
                #expect(acquisition == .previousOwnerDied)
                #expect(try mutex.withLock(timeout: .seconds(5)) { $0 } == .clean)
            }
        }

        @Test func errorCheckingMutexRefusesToRelockAndTimesOutWhenHeldElsewhere() throws {
            try expectNoLeaks {
                let region = try SharedMemoryRegion.create(name: IPCName.unique("mutex"), size: 4096)
                let mutex = try SharedMutex.initialize(in: region, at: 64)
                try mutex.withLock(timeout: .seconds(1)) { _ in
                    #expect(errorCode { _ = try mutex.lock(timeout: .milliseconds(10)) } == .systemCall)
                }
                #expect(errorCode { _ = try SharedMutex(region: region, offset: 4090) } == .invalidSize)
            }
        }
    }
}
