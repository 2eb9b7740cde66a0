import Foundation
import ProcessIPC

// The ipc suite's peer processes are this executable, started with PeerMain.selfHostFlag.
PeerMain.runIfRequested()

// turnstile-bench SUITE [--json] [--quick]
// Suites register themselves in `suites` below; each lives in its own file.

let suites: [String: (Reporter) -> Void] = [
    "explore": exploreSuite,
    "grading": gradingSuite,
    // The grading suite's batch cases alone: [--assignments a,b|all] [--count N] [--cases mixed,correct] [--jobs N]
    "grading-batch": gradingBatchSuite,
    "ipc": ipcSuite,
    "primitives": primitivesSuite,
    "problems": problemsSuite,
    "secure": secureSuite,
    "sctbench": sctbenchSuite,
]

let arguments = Array(CommandLine.arguments.dropFirst())
let options = BenchOptions(quick: arguments.contains("--quick"), json: arguments.contains("--json"))
let names = arguments.filter { !$0.hasPrefix("--") }

guard let name = names.first, let suite = suites[name] else {
    let known = suites.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(
        Data("usage: turnstile-bench SUITE [--json] [--quick]\nsuites: \(known)\n".utf8))
    exit(names.isEmpty ? 64 : 65)
}
suite(Reporter(options: options))
