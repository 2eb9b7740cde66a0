import Testing
@testable import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` and fails the test if it left a shm object, semaphore, queue, descriptor or
/// child process behind (checked against the operating system, see `ResourceLedger`).
func expectNoLeaks(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) rethrows {
    let leftovers = try ResourceLedger.withTracking(body)
    #expect(leftovers.isEmpty, "leaked: \(leftovers)", sourceLocation: sourceLocation)
}

/// The peer helper; tests find it next to the test bundle in the build products directory.
func peer() throws -> PeerExecutable { try PeerExecutable.locate() }

/// The IPCError code a throwing call ends with, or nil if it did not throw one.
func errorCode(_ body: () throws -> Void) -> IPCError.Code? {
    do {
        try body()
        return nil
    } catch let error as IPCError {
        return error.code
    } catch {
        return nil
    }
}

/// Bytes 0, 1, 2, ... of length `count` (a recognisable payload).
func pattern(_ count: Int, seed: Int = 0) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) } }

/// Every ProcessIPC test spawns processes or shares the ledger: they run one at a time.
@Suite(.serialized) struct ProcessIPCTests {}
