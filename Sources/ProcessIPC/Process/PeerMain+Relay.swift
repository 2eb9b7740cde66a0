import Foundation
import Synchronization

extension PeerMain {
    /// `relay FIRST SECOND [FLIP]`: forwards every message from channel end FIRST to SECOND and
    /// back, unchanged, until both ends are closed; with FLIP, it inverts the low bit of the last
    /// byte of the FLIP-th message (counting from 0) going from FIRST to SECOND.
    ///
    /// The relay is the untrusted middle of a two-process secure channel demonstration: it sees
    /// every byte and may tamper with it, but knows nothing of the protocol it carries.
    static func runRelayRole(_ role: String, _ arguments: [String]) throws -> Int32? {
        guard role == "relay" else { return nil }
        let first = try ChannelKind.openPeerEnd(try argument(arguments, 0))
        let second = try ChannelKind.openPeerEnd(try argument(arguments, 1))
        let flip = arguments.count > 2 ? try integer(arguments, 2) : nil
        // Each direction runs on its own thread, so each end has one receiving and one sending
        // thread: what MessageChannel allows. The ends are not Sendable, hence the opt-out.
        nonisolated(unsafe) let forward = first
        nonisolated(unsafe) let backward = second
        let backwardOutcome = RelayOutcome()
        Thread {
            backwardOutcome.failure.withLock { $0 = relay(from: backward, to: forward, flipping: nil) }
            backwardOutcome.done.signal()
        }.start()
        let forwardFailure = relay(from: forward, to: backward, flipping: flip)
        backwardOutcome.done.wait()
        first.close()
        second.close()
        if let failure = forwardFailure ?? backwardOutcome.failure.withLock({ $0 }) { throw failure }
        return 0
    }

    /// Forwards messages until `source` closes (or `target` does); returns the error that
    /// stopped it otherwise.
    private static func relay(from source: any MessageChannel, to target: any MessageChannel, flipping flip: Int?) -> IPCError? {
        var buffer: [UInt8] = []
        var index = 0
        do {
            while true {
                let count = try source.receive(into: &buffer, timeout: nil)
                if index == flip && count > 0 { buffer[count - 1] ^= 1 }
                index += 1
                try buffer.withUnsafeBytes { try target.send(UnsafeRawBufferPointer(rebasing: $0[0..<count]), timeout: nil) }
            }
        } catch let error as IPCError {
            return error.code == .peerClosed ? nil : error
        } catch {
            return IPCError(.invalidArgument, "relay", detail: "\(error)")
        }
    }
}

/// How the relay's second thread ended.
private final class RelayOutcome: Sendable {
    let failure = Mutex<IPCError?>(nil)
    let done = DispatchSemaphore(value: 0)
}
