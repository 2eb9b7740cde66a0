// The grader-owned main of the shared-memory program: it takes its role from the grader's peer
// over the bootstrap socket (never from arguments, environment or files) and drives the
// student's RingEnd with the objects the peer handed over.
//
// Roles (arguments, then descriptors):
//   echo                          [inbound region, outbound region, peer]
//       attach to both rings the peer formatted; send back every message received, in order;
//       close the outbound ring when the inbound one is closed and drained.
//   relay NAME CAPACITY           [outbound region, peer]
//       create ring NAME (as its consumer) and echo what arrives in it to the outbound ring.
//   produce NAME CAPACITY COUNT   [peer]
//       create ring NAME (as its producer) and send COUNT messages: message i has
//       (i * 37) % (maximumMessageSize + 1) bytes, byte j being (i + 7 * j) & 0xFF.
//
// Exit status: 0 done, 3 the peer vanished, 4 the peer closed its end first, 1 another error.
import Glibc
import PeerKit
import SharedMemory

func finish(_ error: Error) -> Never {
    fputs("ring failed: \(error)\n", stderr)
    switch error as? RingError {
    case .peerVanished?: exit(3)
    case .peerClosed?: exit(4)
    default: exit(1)
    }
}

func echo(from input: RingEnd, to output: RingEnd) -> Never {
    do {
        while let message = try input.receive() { try output.send(message) }
        output.close()
        input.close()
        exit(0)
    } catch {
        finish(error)
    }
}

do {
    guard let role = try CounterpartRole.receive() else { exit(0) }
    close(CounterpartRole.bootstrapDescriptor)
    let fds = role.descriptors
    let words = role.arguments
    switch (role.name, words.count, fds.count) {
    case ("echo", 0, 3):
        let input: RingEnd, output: RingEnd
        do {
            input = try RingEnd.attach(descriptor: fds[0], role: .consumer, peer: fds[2])
            output = try RingEnd.attach(descriptor: fds[1], role: .producer, peer: fds[2])
        } catch { finish(error) }
        close(fds[0])
        close(fds[1])
        echo(from: input, to: output)
    case ("relay", 2, 2):
        guard let capacity = Int(words[1]) else { exit(2) }
        let input: RingEnd, output: RingEnd
        do {
            input = try RingEnd.create(name: words[0], capacity: capacity, role: .consumer, peer: fds[1])
            output = try RingEnd.attach(descriptor: fds[0], role: .producer, peer: fds[1])
        } catch { finish(error) }
        close(fds[0])
        echo(from: input, to: output)
    case ("produce", 3, 1):
        guard let capacity = Int(words[1]), let count = Int(words[2]) else { exit(2) }
        do {
            let ring = try RingEnd.create(name: words[0], capacity: capacity, role: .producer, peer: fds[0])
            let longest = ring.maximumMessageSize
            for index in 0..<count {
                try ring.send((0..<(index * 37) % (longest + 1)).map { UInt8(truncatingIfNeeded: index + 7 * $0) })
            }
            ring.close()
            exit(0)
        } catch { finish(error) }
    default:
        fputs("unknown role \(role.name) with \(words.count) arguments and \(fds.count) descriptors\n", stderr)
        exit(2)
    }
} catch {
    fputs("cannot read the role from the grader: \(error)\n", stderr)
    exit(2)
}
