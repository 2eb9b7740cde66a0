import Foundation
import Glibc

/// The course's reference storage channel (data lock, sender's clock, receiver's
/// acknowledgement, sender's presence; the protocol of `ProcessIPC`'s covert channel made self-clocking), run by the
/// grader on two threads of its own through a fresh lock service, ordered like the student's run:
/// the baseline a student's capacity is measured against, in the same check.
enum ReferenceChannel {
    static let data = 0, clock = 1, acknowledgement = 2, presence = 3

    /// One request on `socket`; false on any failure (the service then sees the end).
    static func ask(_ socket: Int32, _ operation: UInt8, _ lock: Int) -> Bool {
        var request: [UInt8] = [operation, UInt8(lock)]
        guard send(socket, &request, 2, Int32(MSG_NOSIGNAL)) == 2 else { return false }
        var reply: UInt8 = 0
        return recv(socket, &reply, 1, Int32(MSG_WAITALL)) == 1 && reply == 0x59
    }

    static func sendSecret(_ bits: [Bool], on socket: Int32) {
        guard !bits.isEmpty else { return }
        _ = ask(socket, 0x4C, presence)
        var holdingData = false
        for (index, bit) in bits.enumerated() {
            if bit != holdingData {
                _ = ask(socket, bit ? 0x4C : 0x55, data)
                holdingData = bit
            }
            let phase = index % 2 == 0
            _ = ask(socket, phase ? 0x4C : 0x55, clock)
            while ask(socket, 0x51, acknowledgement) != phase {}
        }
        _ = ask(socket, 0x55, presence)
    }

    static func receiveSecret(_ count: Int, on socket: Int32) -> [Bool] {
        var bits: [Bool] = []
        for index in 0..<count {
            let phase = index % 2 == 0
            while ask(socket, 0x51, clock) != phase {}
            bits.append(ask(socket, 0x51, data))
            _ = ask(socket, phase ? 0x4C : 0x55, acknowledgement)
        }
        // The last acknowledgement stays until the sender has seen it (it then leaves).
        if count > 0 { while ask(socket, 0x51, presence) {} }
        return bits
    }

    /// Sends `secret` through the reference channel under `order`.
    static func transfer(_ secret: [Bool], order: LockService.Order) throws -> ChannelRun.Transfer {
        final class Ends: @unchecked Sendable {
            // Safety: `received` is written by the receiving thread before it signals `done`,
            // and read only after waiting for it.
            var received: [Bool] = []
            let done = DispatchSemaphore(value: 0)
        }
        let ends = Ends()
        let senderSocket = try ChannelRun.socketPair(), receiverSocket = try ChannelRun.socketPair()
        let sendingEnd = senderSocket.1, receivingEnd = receiverSocket.1
        Thread.detachNewThread {
            sendSecret(secret, on: sendingEnd)
            close(sendingEnd)
            ends.done.signal()
        }
        Thread.detachNewThread {
            ends.received = receiveSecret(secret.count, on: receivingEnd)
            close(receivingEnd)
            ends.done.signal()
        }
        let service = LockService(
            clients: [
                LockService.Client(name: "the reference sender", socket: senderSocket.0, counterpart: nil),
                LockService.Client(name: "the reference receiver", socket: receiverSocket.0, counterpart: nil),
            ], order: order)
        try service.run(maxRounds: ChannelRun.roundLimit(bits: secret.count), purpose: "the reference channel")
        ends.done.wait()
        ends.done.wait()
        return ChannelRun.Transfer(sent: secret, received: ends.received, rounds: service.rounds)
    }
}
