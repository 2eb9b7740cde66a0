import Foundation
import ProcessIPC

/// Suite `ipc`: shared memory against message passing, between two real processes.
///
/// - Round trip (ns, lower is better) of 64 B, 4 KiB and 1 MiB messages over each mechanism,
///   against the pipe as baseline. Goal: shared ring ÷ pipe ≤ 0.2 at 64 B.
/// - One-way throughput (bytes/s, higher is better) over each mechanism against the pipe.
/// - Bulk copy of 1 MiB messages through the shared region against `memcpy` in this process,
///   the physical limit. Goal: ≥ 0.5.
/// - Covert channels (storage, timing): capacity with the default mitigation against none.
///
/// The peer processes are this executable itself (main.swift calls `PeerMain.runIfRequested`).
func ipcSuite(_ reporter: Reporter) {
    do {
        try runIPCSuite(reporter)
    } catch {
        FileHandle.standardError.write(Data("ipc suite failed: \(error)\n".utf8))
        exit(1)
    }
}

private func runIPCSuite(_ reporter: Reporter) throws {
    let quick = reporter.options.quick
    let kinds: [ChannelKind] = [.unixStream, .unixSeqpacket, .messageQueue, .sharedRing]
    reporter.header("ipc", metric: "ns per round trip (lower is better), baseline: pipe")
    for size in IPCComparison.standardSizes {
        let iterations = IPCComparison.iterations(size: size, quick: quick)
        let pipe = try PeerSession(kind: .pipe, role: "echo", maximumMessageSize: size + 64)
        for kind in kinds {
            let session = try PeerSession(kind: kind, role: "echo", maximumMessageSize: size + 64)
            let result = interleavedMedians(
                repetitions: reporter.options.repetitions,
                ours: { try! IPCMeasurement.roundTripNanoseconds(over: session.channel, size: size, iterations: iterations) },
                baseline: { try! IPCMeasurement.roundTripNanoseconds(over: pipe.channel, size: size, iterations: iterations) })
            reporter.report(Measurement(
                suite: "ipc", caseName: "rtt.\(sizeName(size)).\(kind.rawValue)", metric: "ns_per_round_trip",
                value: result.ours, baseline: "pipe", baselineValue: result.baseline, better: "lower",
                goal: kind == .sharedRing && size == 64 ? 0.2 : nil))
            session.finish()
        }
        pipe.finish()
    }

    reporter.header("ipc", metric: "bytes per second one way (higher is better), baseline: pipe")
    for size in IPCComparison.standardSizes {
        let count = IPCComparison.iterations(size: size, quick: quick)
        let pipe = try PeerSession(kind: .pipe, role: "sink", maximumMessageSize: size + 64)
        for kind in kinds {
            let session = try PeerSession(kind: kind, role: "sink", maximumMessageSize: size + 64)
            let result = interleavedMedians(
                repetitions: reporter.options.repetitions,
                ours: { try! IPCMeasurement.throughputBytesPerSecond(over: session.channel, size: size, count: count) },
                baseline: { try! IPCMeasurement.throughputBytesPerSecond(over: pipe.channel, size: size, count: count) })
            reporter.report(Measurement(
                suite: "ipc", caseName: "throughput.\(sizeName(size)).\(kind.rawValue)", metric: "bytes_per_s",
                value: result.ours, baseline: "pipe", baselineValue: result.baseline, better: "higher"))
            session.finish()
        }
        pipe.finish()
    }

    reporter.header("ipc", metric: "bytes per second (higher is better), baseline: memcpy in one process")
    let size = 1 << 20
    let count = IPCComparison.iterations(size: size, quick: quick)
    let ring = try PeerSession(kind: .sharedRing, role: "sink", maximumMessageSize: size + 64)
    let result = interleavedMedians(
        repetitions: reporter.options.repetitions,
        ours: { try! IPCMeasurement.throughputBytesPerSecond(over: ring.channel, size: size, count: count) },
        baseline: { IPCMeasurement.memcpyBytesPerSecond(size: size, count: count) })
    reporter.report(Measurement(
        suite: "ipc", caseName: "bulk.1MiB.region_vs_memcpy", metric: "bytes_per_s",
        value: result.ours, baseline: "memcpy (same process)", baselineValue: result.baseline, better: "higher",
        goal: 0.5))
    ring.finish()

    reporter.header("ipc", metric: "covert channel capacity in bit/s (lower is better), baseline: no mitigation")
    for kind in CovertChannelKind.allCases {
        let report = try CovertChannelDemo.run(kind: kind, bits: quick ? 64 : 256)
        reporter.report(Measurement(
            suite: "ipc", caseName: "covert.\(kind.rawValue).\(report.after.mitigation)".replacingOccurrences(of: " ", with: "_"),
            metric: "capacity_bits_per_s", value: report.after.capacity, baseline: "no mitigation",
            baselineValue: report.before.capacity, better: "lower",
            extra: ["error_rate_before": report.before.errorRate, "error_rate_after": report.after.errorRate,
                    "raw_rate": report.before.rawRate]))
        if !reporter.options.json { print(report.description.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
    }
}

private func sizeName(_ size: Int) -> String {
    IPCComparison.sizeText(size).replacingOccurrences(of: " ", with: "")
}
