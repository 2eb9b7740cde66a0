import CheckKit
import Glibc
import PeerKit

/// The student's program as the grader's peer drives it: a role handed over on the bootstrap
/// socket with the rings (or the names to create them under) and the *peer descriptor*, one
/// end of a socket pair whose other end only the peer holds: when the peer's process ends, or
/// the peer "vanishes" on purpose, that descriptor reads end of file.
final class RingProgram {
    /// The program as the kernel sees it (asleep or running, CPU time, processes).
    let counterpart: Counterpart
    /// The directory that is the program's `/dev/shm`.
    let sharedDirectory: String
    private var peerEnd: Int32 = -1

    private init(role: String, arguments: [String], handing descriptors: [Int32]) throws {
        guard let counterpart = Counterpart.fromArguments(CommandLine.arguments) else {
            throw CheckFailure("the grader's peer was started without its program (--counterpart-pid)")
        }
        self.counterpart = counterpart
        sharedDirectory = counterpart.sharedDirectory ?? "/dev/shm"
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw CheckFailure("the grader's peer cannot create a socket pair (errno \(errno))")
        }
        peerEnd = pair[0]
        defer { close(pair[1]) }
        do {
            try CounterpartRole(name: role, arguments: arguments, descriptors: descriptors + [pair[1]])
                .send(over: CounterpartRole.bootstrapDescriptor)
        } catch {
            throw CheckFailure("your program did not take its role from the grader: \(error)")
        }
    }

    deinit { vanish() }

    /// Attach to `inbound` as its consumer and `outbound` as its producer; echo every message.
    static func echo(inbound: RingView, outbound: RingView) throws -> RingProgram {
        let program = try RingProgram(role: "echo", arguments: [], handing: [inbound.descriptor, outbound.descriptor])
        inbound.closeDescriptor()
        outbound.closeDescriptor()
        return program
    }

    /// Create the ring `name` of `capacity` bytes as its consumer; echo it to `outbound`.
    static func relay(name: String, capacity: Int, outbound: RingView) throws -> RingProgram {
        let program = try RingProgram(role: "relay", arguments: [name, String(capacity)], handing: [outbound.descriptor])
        outbound.closeDescriptor()
        return program
    }

    /// Create the ring `name` of `capacity` bytes as its producer and send `count` messages
    /// (``producedMessage(_:maximum:)``).
    static func produce(name: String, capacity: Int, count: Int) throws -> RingProgram {
        try RingProgram(role: "produce", arguments: [name, String(capacity), String(count)], handing: [])
    }

    /// Message `index` of the produce role, as the grader-owned main sends it.
    static func producedMessage(_ index: Int, maximum: Int) -> [UInt8] {
        (0..<(index * 37) % (maximum + 1)).map { UInt8(truncatingIfNeeded: index + 7 * $0) }
    }

    /// A fresh name for a shared-memory object (`/tsm-…`).
    static func freshName() -> String { "/tsm-\(String(UInt64.random(in: 0 ... .max), radix: 36))" }

    /// The peer acts as if its process died: its end of the peer descriptor closes.
    func vanish() {
        if peerEnd >= 0 { close(peerEnd) }
        peerEnd = -1
    }

    /// Waits for the program (see `Counterpart.wait`): asleep without `condition` holding fails
    /// with "your program stopped before …" (or runs `onAsleep`), spinning fails, and the
    /// safety limit makes the check incomplete.
    func waitFor(_ what: @autoclosure () -> String, until condition: () throws -> Bool, onAsleep: (() throws -> Void)? = nil, cpuBudget: Double = 5) throws {
        switch try counterpart.wait(until: condition, cpuBudget: cpuBudget) {
        case .met:
            return
        case .asleep:
            if let onAsleep { return try onAsleep() }
            if !counterpart.isAlive { throw CheckFailure("your program ended before \(what())") }
            throw CheckFailure("your program stopped before \(what()): every thread of it was waiting, and nothing the grader would do next could wake it")
        case .busy(let seconds):
            throw CheckFailure("your program used \(Int(seconds)) s of CPU time without \(what()): it spins or loops instead of sleeping")
        case .safetyLimit:
            throw CheckIncomplete(waitingFor: what())
        }
    }

    /// Waits until the program has ended (every process of it gone).
    func awaitEnd(_ situation: String) throws {
        try waitFor("ending \(situation)", until: { !self.counterpart.isAlive }) {
            throw CheckFailure("your program did not end \(situation): every thread of it waits, and nothing will wake it")
        }
    }

    /// The host path of the shared-memory object `name`.
    func path(of name: String) -> String { sharedDirectory + "/" + name.dropFirst() }

    /// Waits until the program has created the object `name` and formatted a ring in it (the
    /// magic word set), then maps it and attaches: stores the peer's pid in the consumer's pid
    /// word (`asConsumer`) or the producer's, which tells the creator it may unlink the name.
    func awaitRing(named name: String, asConsumer: Bool) throws -> RingView {
        var view: RingView?
        try waitFor("creating the shared-memory object \(name) with a formatted ring in it", until: {
            if view == nil {
                var info = stat()
                guard stat(self.path(of: name), &info) == 0, info.st_size >= RingView.dataOffset + 64 else { return false }
                let fd = open(self.path(of: name), O_RDWR | O_CLOEXEC)
                guard fd >= 0 else { return false }
                view = try RingView(descriptor: fd)
            }
            return view!.hasMagic
        }) {
            var info = stat()
            let exists = stat(self.path(of: name), &info) == 0
            throw CheckFailure(
                exists
                    ? "your program stopped without writing the magic word 0x54535242 at offset 0 of \(name): the grader cannot tell a ring is there"
                    : "your program is waiting, but the shared-memory object \(name) does not exist: was it never created, or unlinked before the grader could open it?")
        }
        view!.closeDescriptor()
        try view!.adoptCapacity()
        view!.word32(asConsumer ? RingView.consumerPIDOffset : RingView.producerPIDOffset).store(UInt32(getpid()))
        return view!
    }

    /// Fails the check if the program left shared-memory objects or named semaphores behind:
    /// `names` (the ones it was told to create), and in a sandbox anything in its `/dev/shm`.
    func expectNoLeftovers(_ names: [String]) throws {
        let sandboxed = sharedDirectory != "/dev/shm"
        let left = counterpart.sharedObjects().filter { entry in
            sandboxed || names.contains { "/" + entry == $0 || "/" + entry == "/sem." + $0.dropFirst() }
        }
        guard left.isEmpty else {
            throw CheckFailure("your program ended but left \(left.map { "/" + $0 }.sorted().joined(separator: ", ")) in /dev/shm: unlink every object you create (shm_unlink, sem_unlink) once the other end has it open")
        }
    }

    /// Receives from `ring` until its producer (the program) closed it and it is drained,
    /// checking each message against `expected` in order.
    func collect(from ring: RingView, expecting expected: [[UInt8]]) throws {
        var index = 0
        while true {
            if let message = try ring.take() {
                guard index < expected.count else {
                    throw CheckFailure("your program sent a message after the \(expected.count) it should have sent (it has \(message.count) bytes)")
                }
                try Self.compare(message, expected[index], index: index)
                index += 1
                continue
            }
            if ring.producerClosed && ring.used == 0 {
                guard index == expected.count else {
                    throw CheckFailure("your program closed its ring after \(index) of \(expected.count) messages")
                }
                return
            }
            try waitFor(index == expected.count ? "closing its ring after the last message" : "sending message \(index + 1) of \(expected.count)",
                until: { ring.used > 0 || ring.producerClosed })
        }
    }

    /// Fails with where `got` first differs from `expected`, message `index` (from 0).
    static func compare(_ got: [UInt8], _ expected: [UInt8], index: Int) throws {
        guard got != expected else { return }
        if got.count != expected.count {
            throw CheckFailure("message \(index + 1) arrived with \(got.count) bytes; it was sent with \(expected.count)")
        }
        let first = got.indices.first { got[$0] != expected[$0] } ?? 0
        throw CheckFailure("message \(index + 1) (\(expected.count) bytes) arrived corrupted: byte \(first) is \(got[first]), it was sent as \(expected[first])")
    }
}
