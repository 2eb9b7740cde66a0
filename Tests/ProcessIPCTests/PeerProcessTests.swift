import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIPCTests {
    @Suite struct PeerProcessTests {
        @Test func theHelperIsFoundNextToTheTestBundle() throws {
            let executable = try peer()
            #expect(executable.path.hasSuffix("/" + PeerExecutable.helperName))
            #expect(executable.leadingArguments.isEmpty)
        }

        @Test func reportsExitCodesAndReapsTheChild() throws {
            try expectNoLeaks {
                let child = try PeerProcess.spawn(try peer(), arguments: ["exit", "7"])
                #expect(try child.wait(timeout: .seconds(10)) == .exited(7))
                #expect(!child.isRunning)
                #expect(child.exitStatus == .exited(7))
                let confused = try PeerProcess.spawn(try peer(), arguments: ["no-such-role"])
                #expect(try confused.wait(timeout: .seconds(10)) == .exited(2))
            }
        }

        @Test func waitTimesOutAndTerminateEscalatesToKill() throws {
            try expectNoLeaks {
                let polite = try PeerProcess.spawn(try peer(), arguments: ["sleep", "30"])
                #expect(errorCode { try polite.wait(timeout: .milliseconds(20)) } == .timedOut)
                #expect(polite.isRunning)
                #expect(polite.terminate(grace: .seconds(5)) == .signaled(SIGTERM))
                let stubborn = try PeerProcess.spawn(try peer(), arguments: ["sleep", "30", "ignore-term"])
                // Give it time to install its SIGTERM handler, or the SIGTERM would simply kill it.
                usleep(300_000)
                #expect(stubborn.terminate(grace: .milliseconds(200)) == .signaled(SIGKILL))
            }
        }

        @Test func releasingARunningChildKillsAndReapsIt() throws {
            try expectNoLeaks {
                let child = try PeerProcess.spawn(try peer(), arguments: ["sleep", "30"])
                #expect(child.isRunning)
                #expect(child.liveness.isAlive())
            }
        }

        @Test func passesDescriptorsInOrderEvenWhenNumbersCollide() throws {
            try expectNoLeaks {
                // The peer's descriptors 3 and 4 come from parent descriptors that may themselves
                // be 3 or 4; staging must not clobber one with the other.
                let pair = try ChannelKind.pipe.makePair()
                let child = try PeerProcess.spawn(
                    try peer(), arguments: ["echo", pair.peerArgument()], passing: pair.peerDescriptors)
                pair.closePeerDescriptors()
                pair.local.peerLiveness = child.liveness
                try pair.local.send([1, 2, 3], timeout: .seconds(10))
                #expect(try pair.local.receive(timeout: .seconds(10)) == [1, 2, 3])
                pair.local.close()
                #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            }
        }
    }
}
