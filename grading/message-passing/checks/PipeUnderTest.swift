import CheckKit
import Glibc
import PeerKit

/// The student's program in the "pipe" role: requests on one pipe, responses on another.
final class PipeUnderTest {
    let counterpart: Counterpart
    let client: Client

    init() throws {
        signal(SIGPIPE, SIG_IGN)
        guard let counterpart = Counterpart.fromArguments(CommandLine.arguments) else {
            throw CheckFailure("the grader's peer was started without its program (--counterpart-pid)")
        }
        self.counterpart = counterpart
        var requests: [Int32] = [-1, -1]
        var responses: [Int32] = [-1, -1]
        guard pipe(&requests) == 0, pipe(&responses) == 0 else {
            throw CheckFailure("the grader's peer cannot create a pipe (errno \(errno))")
        }
        defer {
            close(requests[0])
            close(responses[1])
        }
        do {
            try CounterpartRole(name: "pipe", descriptors: [requests[0], responses[1]]).send(over: CounterpartRole.bootstrapDescriptor)
        } catch {
            throw CheckFailure("your program did not take its role from the grader: \(error)")
        }
        client = Client(readFD: responses[0], writeFD: requests[1], isSocket: false, name: "on the pipes", counterpart: counterpart)
    }
}
