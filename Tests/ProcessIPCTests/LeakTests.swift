import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct LeakTests {
        @Test func theLeakCheckSeesWhatIsLeftBehind() throws {
            var kept: SharedMemoryRegion?
            var child: PeerProcess?
            let leftovers = try ResourceLedger.withTracking {
                kept = try SharedMemoryRegion.create(name: IPCName.unique("kept"), size: 64)
                child = try PeerProcess.spawn(try peer(), arguments: ["exit", "0"])
                usleep(200_000)  // let it exit; unreaped it stays a zombie
            }
            #expect(leftovers.contains { $0.hasPrefix("shared memory") })
            #expect(leftovers.contains { $0.hasPrefix("descriptor") })
            #expect(leftovers.contains { $0.hasPrefix("process") })
            kept = nil
            _ = try child?.wait(timeout: .seconds(10))
            withExtendedLifetime((kept, child)) {}
        }

        /// Every mechanism, every way to end: nothing may remain in /dev/shm, the queue
        /// namespace, the descriptor table or the process table.
        @Test func aFullScenarioLeavesNothingBehind() throws {
            try expectNoLeaks {
                for kind in ChannelKind.allCases {
                    let session = try PeerSession(kind: kind, role: "echo", executable: try peer())
                    try session.channel.send(pattern(10_000), timeout: .seconds(10))
                    #expect(try session.channel.receive(timeout: .seconds(10)).count == 10_000)
                    let dying = try PeerSession(kind: kind, role: "echo-then-die", arguments: ["0"], executable: try peer())
                    _ = errorCode { _ = try dying.channel.receive(timeout: .seconds(10)) }
                }
                let semaphore = try NamedSemaphore.create(name: IPCName.unique("sem"))
                try semaphore.post()
                let abandoned = try PeerProcess.spawn(try peer(), arguments: ["sleep", "30"])
                #expect(abandoned.isRunning)
            }
        }
    }
}

extension ProcessIPCTests.LeakTests {
    @Test func staleObjectsOfDeadCreatorsAreRemovedAndLiveOnesKept() throws {
        try expectNoLeaks {
            // A name as a process that cannot exist would have made it (above PID_MAX_LIMIT, 4194304).
            let stale = "/\(ProcessIPC.namePrefix)4194305-1-stale"
            let fd = shm_open(stale, O_RDWR | O_CREAT | O_EXCL, 0o600)
            #expect(fd >= 0)
            close(fd)
            let live = try SharedMemoryRegion.create(name: IPCName.unique("live"), size: 64)
            let removed = ProcessIPC.removeStaleObjects()
            #expect(removed.contains(String(stale.dropFirst())))
            #expect(access("/dev/shm\(stale)", F_OK) != 0)
            #expect(access("/dev/shm\(live.name!)", F_OK) == 0)
        }
    }
}
