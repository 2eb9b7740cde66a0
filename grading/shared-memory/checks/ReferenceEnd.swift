import CheckKit
import Glibc
import PeerKit
import ProcessIPC

/// The course's reference ring (`ProcessIPC.SharedRingBuffer`) as the program's other end, used
/// without ever blocking: the peer tries, and when neither it nor the program can go on it
/// judges the program by what the kernel says it is doing (`RingProgram.waitFor`).
final class ReferenceEnd {
    let region: SharedMemoryRegion
    let ring: SharedRingBuffer
    /// The same memory word by word, for what the reference API does not show.
    let view: RingView

    /// `view` maps the same object through a descriptor of its own, which is the one handed
    /// to the program (``RingProgram/echo(inbound:outbound:)`` closes it).
    private init(region: SharedMemoryRegion, ring: SharedRingBuffer) throws {
        self.region = region
        self.ring = ring
        view = try RingView(descriptor: dup(region.descriptor))
        try view.adoptCapacity()
        ring.spinDuration = .zero
    }

    /// Judges the other end's death by `program` itself: the program is in another PID
    /// namespace, so the pid it stores means nothing here.
    func watch(_ program: RingProgram) {
        let counterpart = program.counterpart
        ring.peerLiveness = PeerLiveness { counterpart.isAlive }
    }

    /// A new ring of `capacity` bytes in an unlinked object, this end attached as `role`.
    static func format(capacity: Int, role: SharedRingBuffer.Role) throws -> ReferenceEnd {
        let name = "/turnstile-ref-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let region = try SharedMemoryRegion.create(name: name, size: SharedRingBuffer.regionSize(capacity: capacity))
        try region.unlink()
        return try ReferenceEnd(region: region, ring: try SharedRingBuffer.format(in: region, capacity: capacity, role: role))
    }

    /// Attaches as `role` to the ring the program created under `name` (waiting for it).
    static func attach(named name: String, role: SharedRingBuffer.Role, program: RingProgram) throws -> ReferenceEnd {
        _ = try program.awaitRing(named: name, asConsumer: role == .consumer)
        let fd = open(program.path(of: name), O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw CheckFailure("the shared-memory object \(name) vanished right after your program formatted it (unlinked before the grader attached?)")
        }
        do {
            let region = try SharedMemoryRegion.map(descriptor: fd)
            let end = try ReferenceEnd(region: region, ring: try SharedRingBuffer(region: region, role: role))
            end.view.closeDescriptor()
            end.watch(program)
            return end
        } catch let error as IPCError {
            throw CheckFailure("the reference implementation cannot attach to your ring \(name): \(error)")
        }
    }

    /// Sends `message` if there is room now.
    func trySend(_ message: [UInt8]) throws -> Bool {
        do {
            try ring.send(message, timeout: .zero)
            return true
        } catch let error as IPCError where error.code == .timedOut {
            return false
        } catch let error as IPCError where error.code == .peerClosed {
            throw CheckFailure("your program closed its consumer end while the grader still had messages to send")
        } catch let error as IPCError where error.code == .protocolViolation {
            throw CheckFailure("the reference implementation found the ring your program reads corrupt: \(error.detail)")
        }
    }

    /// What receiving now gives.
    enum Received { case message([UInt8]), empty, closed }

    /// Receives a message if one is there.
    func tryReceive() throws -> Received {
        do {
            return .message(try ring.receive(timeout: .zero))
        } catch let error as IPCError where error.code == .timedOut {
            return .empty
        } catch let error as IPCError where error.code == .peerClosed {
            return .closed
        } catch let error as IPCError where error.code == .protocolViolation {
            throw CheckFailure("the reference implementation found the ring your program writes corrupt: \(error.detail) (a record must never run past the end of the data area; see wrap records)")
        }
    }
}

/// One run of messages through the program: the peer sends `sendCount` messages on `sender`
/// (closing it after the last, if `closeWhenSent`) and expects `expected(i)` back, in order, on
/// `receiver`, then (if `expectClose`) the program's close.
struct Exchange {
    var sender: ReferenceEnd?
    var sendCount = 0
    var message: (Int) -> [UInt8] = { _ in [] }
    var closeWhenSent = true
    var receiver: ReferenceEnd?
    var receiveCount = 0
    var expected: (Int) -> [UInt8] = { _ in [] }
    var expectClose = true
    /// Return instead of failing when the program is asleep and nothing can go on (a full ring
    /// the peer does not read, on purpose).
    var stopWhenBlocked = false

    private(set) var sent = 0
    private(set) var received = 0
    private(set) var closedSeen = false

    /// Runs until everything is sent and received (or, with ``stopWhenBlocked``, until nothing
    /// can move).
    mutating func run(_ program: RingProgram) throws {
        // Rounds in which the ring's positions changed yet no message moved: a bound in steps,
        // so a program that only wiggles a position cannot keep the peer busy until its clock.
        var fruitlessRounds = 0
        while true {
            var progressed = false
            if let sender, sent < sendCount || (closeWhenSent && !sender.view.producerClosed) {
                while sent < sendCount, try sender.trySend(message(sent)) {
                    sent += 1
                    progressed = true
                }
                // Closed only once the program has taken every message: whether a close overtakes
                // messages still in the ring would otherwise depend on timing (close-drains tests
                // that case on purpose, with the program stopped).
                if sent == sendCount && closeWhenSent && sender.ring.usedBytes == 0 { sender.ring.close() }
            }
            let receiving = receiver != nil && (!stopWhenBlocked || received < receiveCount) && !closedSeen
            if let receiver, receiving {
                if try receiveAll(from: receiver) > 0 { progressed = true }
            }
            let receivedAll = receiver == nil || (received == receiveCount && (!expectClose || closedSeen))
            if sent == sendCount && receivedAll { return }
            if progressed {
                fruitlessRounds = 0
                continue
            }
            fruitlessRounds += 1
            if fruitlessRounds > 100_000 {
                throw CheckFailure("your program kept changing the rings' positions while no message went through in either direction (\(sent) sent to it, \(received) received back)")
            }
            // Nothing moved: give the program a moment (it runs on another processor), then judge it.
            let inboundUsed = sender?.ring.usedBytes ?? 0
            let (sender, receiver) = (self.sender, self.receiver)
            let canMove = {
                (receiving && receiver.map { $0.ring.usedBytes > 0 || $0.view.producerClosed } ?? false)
                    || (sender.map { $0.ring.usedBytes != inboundUsed } ?? false)
            }
            var moved = false
            for _ in 0..<2_000 where !moved {
                moved = canMove()
                if !moved { sched_yield() }
            }
            if moved { continue }
            var blocked = false
            let what = "going on: \(sent) of \(sendCount) messages sent to it (\(inboundUsed) bytes unread in its inbound ring), \(received) of \(receiveCount) received back"
            let sentAll = sent == sendCount
            try program.waitFor(what, until: canMove, onAsleep: stopWhenBlocked ? {
                guard program.counterpart.isAlive || sentAll else { throw CheckFailure("your program ended before \(what)") }
                blocked = true
            } : nil)
            if blocked { return }
        }
    }

    /// Receives and checks every message in `receiver` now; returns how many.
    private mutating func receiveAll(from receiver: ReferenceEnd) throws -> Int {
        var count = 0
        while true {
            switch try receiver.tryReceive() {
            case .message(let bytes):
                guard received < receiveCount else {
                    throw CheckFailure("your program sent more than the \(receiveCount) messages it should have (one more of \(bytes.count) bytes)")
                }
                try RingProgram.compare(bytes, expected(received), index: received)
                received += 1
                count += 1
            case .empty:
                return count
            case .closed:
                guard received == receiveCount else {
                    throw CheckFailure("your program closed its ring after sending \(received) of \(receiveCount) messages")
                }
                closedSeen = true
                return count
            }
        }
    }

    /// Stops the program (SIGSTOP), receives everything in the ring back, and lets it go on:
    /// what it writes next starts from a state that depends on the messages alone.
    mutating func drainPaused(_ program: RingProgram) throws {
        guard let receiver else { return }
        program.counterpart.pause()
        defer { program.counterpart.resume() }
        _ = try receiveAll(from: receiver)
    }
}
