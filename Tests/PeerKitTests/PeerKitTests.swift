import Foundation
import Glibc
import PeerKit
import Testing

/// The role handover and the probes the grader's peer judges a program with.
struct PeerKitTests {
    @Test func aRoleArrivesWithItsDescriptorsAndTheyWork() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { pair.forEach { close($0) } }
        var pipeEnds: [Int32] = [-1, -1]
        try #require(pipe(&pipeEnds) == 0)
        try CounterpartRole(name: "serve", descriptors: [pipeEnds[1]]).send(over: pair[0])
        close(pipeEnds[1])
        let role = try #require(try CounterpartRole.receive(from: pair[1]))
        #expect(role.name == "serve")
        try #require(role.descriptors.count == 1)
        // The received descriptor is the pipe's write end: what goes in comes out of the read end.
        #expect(write(role.descriptors[0], "x", 1) == 1)
        var byte: UInt8 = 0
        #expect(read(pipeEnds[0], &byte, 1) == 1 && byte == UInt8(ascii: "x"))
        #expect(fcntl(role.descriptors[0], F_GETFD) & FD_CLOEXEC != 0, "received descriptors are close-on-exec")
        close(role.descriptors[0])
        close(pipeEnds[0])
    }

    @Test func aRoleCarriesItsArgumentsInOrder() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { pair.forEach { close($0) } }
        let sent = CounterpartRole(name: "relay", arguments: ["/tsm-x", "", "16384"], descriptors: [])
        try sent.send(over: pair[0])
        #expect(try CounterpartRole.receive(from: pair[1]) == sent)
        #expect(Counterpart.fromArguments(["run", "x", "--counterpart-pid", "42", "--shared-directory", "/dev/shm/run-1"])?.sharedDirectory == "/dev/shm/run-1")
        #expect(Counterpart.fromArguments(["--counterpart-pid", "42"])?.sharedDirectory == nil)
    }

    @Test func aClosedBootstrapSocketMeansNoRole() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        close(pair[0])
        defer { close(pair[1]) }
        #expect(try CounterpartRole.receive(from: pair[1]) == nil)
    }

    /// A sleeping child is asleep and costs no CPU; a spinning one is never asleep and burns it.
    @Test func theProbeTellsASleeperFromASpinner() throws {
        let sleeper = try Self.start("/bin/sleep", ["30"])
        let spinner = try Self.start("/bin/sh", ["-c", "while :; do :; done"])
        defer {
            // SIGKILL: a child may inherit an ignored SIGTERM from the test runner.
            for process in [sleeper, spinner] {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let asleep = Counterpart(rootPID: sleeper.processIdentifier)
        let busy = Counterpart(rootPID: spinner.processIdentifier)
        #expect(asleep.wait(until: { false }, settle: .milliseconds(100), cpuBudget: 5, safety: .seconds(30)) == .asleep)
        #expect(asleep.asleepShare(samples: 10, interval: .milliseconds(10)) > 0.9)
        #expect(busy.asleepShare(samples: 10, interval: .milliseconds(10)) < 0.5)
        guard case .busy(let seconds) = busy.wait(until: { false }, cpuBudget: 0.3, safety: .seconds(60)) else {
            Issue.record("a spinning process must exhaust its CPU budget")
            return
        }
        #expect(seconds >= 0.3)
        #expect(asleep.openDescriptors() >= 3)
        #expect(asleep.isAlive)
    }

    @Test func aProcessThatEndedIsNotAlive() throws {
        let process = try Self.start("/bin/true", [])
        process.waitUntilExit()
        #expect(!Counterpart(rootPID: process.processIdentifier).isAlive)
        #expect(Counterpart(rootPID: process.processIdentifier).processes().isEmpty)
    }

    @Test func thePeerFindsItsProgramOnItsCommandLine() {
        #expect(Counterpart.fromArguments(["run", "x", "--counterpart-pid", "42"])?.rootPID == 42)
        #expect(Counterpart.fromArguments(["run", "x"]) == nil)
        #expect(Counterpart.fromArguments(["--counterpart-pid", "-1"]) == nil)
    }

    static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
