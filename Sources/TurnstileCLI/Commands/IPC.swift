import ArgumentParser
import Foundation
import ProcessIPC

extension Turnstile {
    /// `turnstile ipc bench|covert`.
    struct IPC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ipc",
            abstract: "See the course's IPC claims measured between two real processes.",
            subcommands: [Bench.self, Covert.self])

        struct Bench: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Round-trip latency and throughput of pipe, Unix sockets, a POSIX message queue and a shared-memory ring.",
                discussion: "Shared memory is \"high-speed but needs explicit synchronization\"; message passing is \"kernel-mediated, simpler, with higher overhead\" (course text 4.1). Each ratio is against the pipe, measured in the same run. On a busy machine the shared ring loses its edge: it is fast only while both sides have a core to spin on.")

            @Flag(help: "Fewer iterations (a few seconds).") var quick = false
            @Option(help: "Message sizes in bytes, comma-separated.") var sizes: String = "64,4096,1048576"

            func run() throws {
                let parsed = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 > 0 }) else { throw ValidationError("--sizes takes positive byte counts like 64,4096") }
                print(IPCComparison.table(try IPCComparison.run(sizes: parsed, quick: quick)))
            }
        }

        struct Covert: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send a random secret over a covert channel between two processes, before and after a mitigation.",
                discussion: "storage: the sender's state is whether it holds a lock on a shared file; timing: the sender burns or leaves idle a CPU the receiver shares. Reports raw rate, error rate p and capacity = rate × (1 − H2(p)).")

            @Option(help: "storage or timing.") var kind: String = "storage"
            @Option(help: "Secret bits to send.") var bits: Int = 128

            func run() throws {
                guard let channel = CovertChannelKind(rawValue: kind) else {
                    throw ValidationError("--kind is storage or timing")
                }
                guard bits > 0 else { throw ValidationError("--bits must be positive") }
                print(try CovertChannelDemo.run(kind: channel, bits: bits))
            }
        }
    }
}
