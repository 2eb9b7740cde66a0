// The grader-owned main of the message-passing program: it takes its role from the grader's
// peer over the bootstrap socket (never from arguments, environment or files) and calls the
// student's FramedService with the descriptors the peer handed over.
import Glibc
import MessagePassing
import PeerKit

// A peer that stopped writing must never kill the program with SIGPIPE: writes fail with EPIPE.
signal(SIGPIPE, SIG_IGN)
// The peer interrupts blocked calls with SIGUSR1: a handler that does nothing, without
// SA_RESTART, so read, write, accept and poll return EINTR as they may on any system.
var interruption = sigaction()
interruption.__sigaction_handler.sa_handler = { _ in }
sigemptyset(&interruption.sa_mask)
interruption.sa_flags = 0
sigaction(SIGUSR1, &interruption, nil)

do {
    guard let role = try CounterpartRole.receive() else { exit(0) }
    close(CounterpartRole.bootstrapDescriptor)
    switch (role.name, role.descriptors.count) {
    case ("serve", 2):
        FramedService.serve(listener: role.descriptors[0], shutdown: role.descriptors[1])
    case ("pipe", 2):
        FramedService.serve(input: role.descriptors[0], output: role.descriptors[1])
    default:
        fputs("unknown role \(role.name) with \(role.descriptors.count) descriptors\n", stderr)
        exit(2)
    }
    exit(0)
} catch {
    fputs("cannot read the role from the grader: \(error)\n", stderr)
    exit(2)
}
