// The grader-owned main of the covert-channel program. The grader starts two instances, each in
// its own sandbox; each takes its roles, one after another, from the grader's peer over the
// bootstrap socket (never from arguments, environment or files), until the peer closes it.
//
// Roles (arguments, then descriptors):
//   send COUNT       [service, secret]   read the COUNT-bit secret from the pipe `secret` (the
//                                characters 0 and 1, then a newline) and call
//                                CovertSender.send(_:over:) with a LockClient on the service.
//   receive COUNT    [service]   call CovertReceiver.receive(count:over:) and write the bits it
//                                returns back on the bootstrap socket as one line of 0 and 1
//                                (or "error " and the error's text).
//   serve PRINCIPALS [client…]  PRINCIPALS is one number per client, comma-separated (the
//                                principal each acts for): call LockServer.serve(clients:principals:).
// After each send or receive role the service connection is closed, which releases every lock
// it still holds.
import CovertChannel
import Glibc
import PeerKit

func reply(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { send(CounterpartRole.bootstrapDescriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { exit(3) }
        offset += written
    }
}

func readSecret(from pipe: Int32, count: Int) -> [Bool] {
    var text: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while text.count <= count {
        let got = buffer.withUnsafeMutableBytes { read(pipe, $0.baseAddress, $0.count) }
        if got < 0 && errno == EINTR { continue }
        if got <= 0 { break }
        text += buffer[0..<got]
    }
    guard text.count == count + 1 else {
        fputs("the secret from the grader has \(text.count) bytes, not \(count + 1)\n", stderr)
        exit(2)
    }
    return text.prefix(count).map { $0 == 0x31 }
}

while true {
    let role: CounterpartRole
    do {
        guard let next = try CounterpartRole.receive() else { exit(0) }
        role = next
    } catch {
        fputs("cannot read the role from the grader: \(error)\n", stderr)
        exit(2)
    }
    if role.name == "serve", role.arguments.count == 1 {
        let principals = role.arguments[0].split(separator: ",").compactMap { Int($0) }
        guard principals.count == role.descriptors.count else { exit(2) }
        LockServer.serve(clients: role.descriptors, principals: principals)
        role.descriptors.forEach { close($0) }
        continue
    }
    guard role.descriptors.count == (role.name == "send" ? 2 : 1), role.arguments.count == 1, let count = Int(role.arguments[0]) else {
        fputs("unknown role \(role.name) with \(role.arguments.count) arguments and \(role.descriptors.count) descriptors\n", stderr)
        exit(2)
    }
    let service = role.descriptors[0]
    let client = LockClient(descriptor: service)
    switch role.name {
    case "send":
        let bits = readSecret(from: role.descriptors[1], count: count)
        close(role.descriptors[1])
        do {
            try CovertSender.send(bits, over: client)
        } catch {
            fputs("the sender failed: \(error)\n", stderr)
        }
    case "receive":
        do {
            let bits = try CovertReceiver.receive(count: count, over: client)
            reply(String(bits.map { $0 ? "1" : "0" }))
        } catch {
            reply(String("error \(error)".map { $0 == "\n" ? " " : $0 }))
        }
    default:
        fputs("unknown role \(role.name)\n", stderr)
        exit(2)
    }
    close(service)
}
