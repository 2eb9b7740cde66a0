/// One mechanism at one message size: its round-trip latency and one-way throughput.
public struct IPCComparisonRow: Sendable, Equatable {
    /// The mechanism.
    public var kind: ChannelKind
    /// Message size in bytes.
    public var messageSize: Int
    /// Median nanoseconds per round trip (send, echo, receive).
    public var roundTripNanoseconds: Double
    /// Median bytes per second streamed one way.
    public var throughputBytesPerSecond: Double
    /// Round trip ÷ the pipe's round trip at the same size (below 1: faster than a pipe).
    public var roundTripVersusPipe: Double
}

/// Compares every ``ChannelKind`` between two processes, for `turnstile ipc bench`.
///
/// Timing-dependent: absolute figures vary by machine and load; compare rows of one run.
public enum IPCComparison {
    /// The sizes the course compares: 64 B, 4 KiB and 1 MiB.
    public static let standardSizes = [64, 4096, 1 << 20]

    /// Measures round trip and throughput of each kind at each size, median of several runs.
    /// - Parameters:
    ///   - sizes: message sizes in bytes.
    ///   - kinds: mechanisms (the pipe is always measured, as the reference).
    ///   - quick: fewer iterations (seconds instead of tens of seconds).
    ///   - executable: the peer program; nil finds it with ``PeerExecutable/locate()``.
    /// - Throws: ``IPCError`` if a peer cannot be started or a channel fails.
    public static func run(
        sizes: [Int] = standardSizes, kinds: [ChannelKind] = ChannelKind.allCases, quick: Bool = false,
        executable: PeerExecutable? = nil
    ) throws -> [IPCComparisonRow] {
        let program = try executable ?? PeerExecutable.locate()
        let allKinds = [ChannelKind.pipe] + kinds.filter { $0 != .pipe }
        let maximum = (sizes.max() ?? 64) + 64
        var rows: [IPCComparisonRow] = []
        for size in sizes {
            let iterations = Self.iterations(size: size, quick: quick)
            var pipeRoundTrip = Double.nan
            for kind in allKinds {
                let echo = try PeerSession(kind: kind, role: "echo", maximumMessageSize: maximum, executable: program)
                let sink = try PeerSession(kind: kind, role: "sink", maximumMessageSize: maximum, executable: program)
                var trips: [Double] = []
                var rates: [Double] = []
                for _ in 0..<(quick ? 3 : 7) {
                    trips.append(try IPCMeasurement.roundTripNanoseconds(over: echo.channel, size: size, iterations: iterations))
                    rates.append(try IPCMeasurement.throughputBytesPerSecond(over: sink.channel, size: size, count: iterations))
                }
                echo.finish()
                sink.finish()
                let trip = median(trips)
                if kind == .pipe { pipeRoundTrip = trip }
                if kinds.contains(kind) {
                    rows.append(IPCComparisonRow(
                        kind: kind, messageSize: size, roundTripNanoseconds: trip,
                        throughputBytesPerSecond: median(rates), roundTripVersusPipe: trip / pipeRoundTrip))
                }
            }
        }
        return rows
    }

    /// Iterations per measurement that keep each one in the milliseconds.
    public static func iterations(size: Int, quick: Bool) -> Int {
        let base = size <= 4096 ? 2000 : max(8, (64 << 20) / max(1, size))
        return quick ? max(4, base / 4) : base
    }

    /// A table of `rows`: mechanism, size, round trip (µs), throughput (MB/s), round trip ÷ pipe.
    public static func table(_ rows: [IPCComparisonRow]) -> String {
        var lines = [pad("mechanism", 26) + pad("size", 9) + pad("round trip µs", 15) + pad("MB/s", 10) + "RTT ÷ pipe"]
        for row in rows {
            lines.append(
                pad(row.kind.description, 26) + pad(sizeText(row.messageSize), 9)
                    + pad(fixed(row.roundTripNanoseconds / 1000, 2), 15)
                    + pad(fixed(row.throughputBytesPerSecond / 1e6, 0), 10) + fixed(row.roundTripVersusPipe, 3))
        }
        return lines.joined(separator: "\n")
    }

    /// `64 B`, `4 KiB`, `1 MiB`.
    public static func sizeText(_ size: Int) -> String {
        size >= 1 << 20 && size % (1 << 20) == 0 ? "\(size >> 20) MiB"
            : size >= 1024 && size % 1024 == 0 ? "\(size >> 10) KiB" : "\(size) B"
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
